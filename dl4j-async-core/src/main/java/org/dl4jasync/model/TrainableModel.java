package org.dl4jasync.model;

import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Consumer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * The one seam between the engines and a kind of DL4J model: what workers, sync rounds, the simulator, the
 * stores and the listener bridge need of a model. {@link MultiLayerModel} implements it for
 * {@link MultiLayerNetwork}, {@link GraphModel} for {@link ComputationGraph}; {@link #none()} is the scheduling-only
 * model of a simulation without gradients. Nothing else in the trainer knows which kind of model it trains.
 */
public interface TrainableModel {

    /**
     * An initialised {@link MultiLayerNetwork} or {@link ComputationGraph}.
     *
     * @throws IllegalArgumentException for another kind of model, an uninitialised one, or one whose parameters
     *                                  carry constraints (not applied by the asynchronous trainer)
     */
    static TrainableModel of(Model model) {
        if (model instanceof MultiLayerNetwork) {
            return new MultiLayerModel((MultiLayerNetwork) model);
        }
        if (model instanceof ComputationGraph) {
            return new GraphModel((ComputationGraph) model);
        }
        throw new IllegalArgumentException("model must be a MultiLayerNetwork or a ComputationGraph, got "
                + (model == null ? "null" : model.getClass().getName()));
    }

    /** No gradients at all: a simulation of scheduling only ({@code --model none}). */
    static TrainableModel none() {
        return new NoModel();
    }

    /** The original model's flat parameter vector. */
    INDArray params();

    /** A replica whose parameters are {@code params} itself (no copy); for the calling thread only. */
    Replica newReplica(INDArray params);

    /**
     * A replica that can be re-pointed at other buffers ({@link Replica#bind}), for the CAS-published store.
     *
     * @throws IllegalArgumentException when the model cannot be re-pointed (see {@link #checkRebindable()})
     */
    Replica newRebindableReplica(INDArray params);

    /** Throws IllegalArgumentException, saying why and what to use instead, when replicas cannot be re-pointed. */
    void checkRebindable();

    /**
     * A private evaluator of parameter vectors on {@code data} (classification accuracy of the first output), for one
     * thread at a time.
     */
    Evaluator newEvaluator(MultiDataSetIterator data);

    /** A private scorer of parameter vectors by their loss on {@code sample}, for one thread at a time. */
    Scorer newScorer(MultiDataSet sample);

    /**
     * The learning rate of the model's updater (the initial one, when every layer with parameters has the same), or
     * empty when it has none or they differ. Step-size rules that need the base η read it here.
     */
    default OptionalDouble learningRate() {
        return OptionalDouble.empty();
    }

    /**
     * The original model's own DL4J updater state array (what {@code ModelSerializer} saves with the model and
     * {@code net.fit} continues from; its updater is made if it has none yet), or null when the updater keeps no
     * state (plain SGD) or there is no model.
     */
    default INDArray updaterState() {
        return null;
    }

    /**
     * Whether every layer with parameters is trained by heavy-ball momentum ({@link org.dl4jasync.optimizer.HeavyBall}):
     * then a staleness-adaptive step-size factor scales the gradient term, as the authors' code does.
     */
    default boolean heavyBall() {
        return false;
    }

    /** Whether the model has parameters to evaluate (false for {@link #none()}). */
    boolean hasParameters();

    // --- the original model as DL4J listeners see it

    Model model();

    List<TrainingListener> listeners();

    int iterationCount();

    int epochCount();

    /** Shows the given score and counts on the original model (before a listener call or at the end of a fit). */
    void show(double score, int iteration, int epoch);

    /**
     * Shows the applied step on the original model before {@code iterationDone}, as after DL4J's own fit step: its
     * {@code gradient()} returns {@code scale · update} (null: left as it is), the update just subtracted from the
     * shared parameters, and its input and labels are {@code batch}'s (the step's minibatch, null: left as they are;
     * e.g. for {@code batchSize()}). No effect without a model.
     */
    default void showStep(MultiDataSet batch, INDArray update, double scale) {}

    /**
     * DL4J's JSON of the model's configuration with the given iteration and epoch counts (for a checkpoint; the
     * model itself is not changed), or null for a model without one (scheduling only).
     */
    default String configurationJson(int iteration, int epoch) {
        return null;
    }

    /**
     * Restores the original model from a checkpoint: parameters, worker 0's updater state (null: none kept) and the
     * iteration and epoch counts of {@code configurationJson} ({@link #configurationJson}'s form).
     */
    default void restore(INDArray params, INDArray updaterState, String configurationJson) {
        throw new UnsupportedOperationException("this model cannot be restored from a checkpoint");
    }

    /** Loss of a parameter vector on a fixed sample. */
    interface Scorer {
        /** The loss of the parameters that {@code fill} copies into the scorer's private buffer (NaN if not finite). */
        double loss(Consumer<INDArray> fill);
    }

    /** Accuracy of a parameter vector. */
    interface Evaluator {
        /**
         * Accuracy of the parameters that {@code fill} copies into the evaluator's private buffer, or NaN when they are
         * not finite (diverged).
         */
        double accuracy(Consumer<INDArray> fill);
    }
}
