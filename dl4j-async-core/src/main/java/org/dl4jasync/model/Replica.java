package org.dl4jasync.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The gradient step of one worker: its private instance of the model's structure, computing on a flat parameter
 * buffer it views without copying. Confined to one thread (a worker thread, or the simulation thread).
 *
 * <p>A step is {@link #computeGradient} → (optionally) {@link #toUpdate} → the store applies {@link #gradient()}.
 * The gradient buffer is reused by every step: whoever keeps it past the next step copies it.
 *
 * <p><b>Extension interface</b> (not needed to train with the built-in algorithms): a model type (e.g. a ComputationGraph) implements it with {@link TrainableModel}. See DESIGN.md,
 * "Public API".
 */
public interface Replica {

    /**
     * Points the replica at {@code params} (a flat buffer in the model's layout). Allocation-free for a buffer seen
     * before. Replicas made by {@link TrainableModel#newReplica} accept only the buffer they were made over.
     */
    void bind(INDArray params);

    /** The buffer the replica computes on (the one last bound). */
    INDArray params();

    /** Computes the gradient of {@code batch} on the bound parameters into {@link #gradient()}; returns the loss. */
    double computeGradient(DataSet batch);

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
}
