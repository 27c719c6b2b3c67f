package org.dl4jasync.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * The gradient step of one worker: its private instance of the model's structure, computing on a flat parameter
 * buffer it views without copying. Confined to one thread (a worker thread, or the simulation thread).
 *
 * <p>A step is {@link #computeGradient} → (optionally) {@link #toUpdate} → the store applies {@link #gradient()}.
 * The gradient buffer is reused by every step: whoever keeps it past the next step copies it.
 *
 * <p><b>Extension interface</b> (not needed to train with the built-in algorithms): a model type implements it with
 * {@link TrainableModel}, as {@code MultiLayerNetwork} and {@code ComputationGraph} do. See DESIGN.md, "Public API".
 */
public interface Replica {

    /**
     * Points the replica at {@code params} (a flat buffer in the model's layout). Allocation-free for a buffer seen
     * before. Replicas made by {@link TrainableModel#newReplica} accept only the buffer they were made over.
     */
    void bind(INDArray params);

    /** The buffer the replica computes on (the one last bound). */
    INDArray params();

    /**
     * Computes the gradient of {@code batch} on the bound parameters into {@link #gradient()}; returns the loss. A
     * single-input, single-output batch is a {@code DataSet} as DL4J's {@code toMultiDataSet()} wraps it.
     *
     * @throws IllegalArgumentException when the batch's number of inputs or outputs is not the model's
     */
    double computeGradient(MultiDataSet batch);

    /** The flat gradient buffer; after {@link #toUpdate} it holds the update. */
    INDArray gradient();

    /**
     * Turns the gradient into the update in place with this replica's own DL4J updater state (momentum, Adam
     * moments).
     */
    void toUpdate(int iteration, int epoch, int batchSize);

    /**
     * The replica's DL4J updater state (a view: momentum, Adam's moments; written by {@link #toUpdate}), or null when
     * the updater keeps none (plain SGD). A checkpoint copies it; a resumed run assigns it back.
     */
    default INDArray updaterState() {
        return null;
    }

    /**
     * Makes the replica's DL4J updater read and advance {@code state} itself (a shared optimizer state, not copied):
     * its updater is rebuilt over that array. Not for a re-pointable replica (its views are bound to its updater).
     *
     * @throws UnsupportedOperationException for a replica without an updater or a re-pointable one
     */
    default void useUpdaterState(INDArray state) {
        throw new UnsupportedOperationException("this replica has no updater state to share");
    }

    /** The replica's network (what DL4J's pass events name as their model), or null without one. */
    default Model model() {
        return null;
    }

    /**
     * Makes {@code relay} the replica network's only listener, so DL4J's {@code onForwardPass} and
     * {@code onBackwardPass} of its gradient computations reach it (on the replica's thread).
     */
    default void listen(TrainingListener relay) {}
}
