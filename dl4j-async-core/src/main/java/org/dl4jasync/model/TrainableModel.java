package org.dl4jasync.model;

import java.util.List;
import java.util.function.Consumer;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The one seam between the engines and a kind of DL4J model: what workers, sync rounds, the simulator, the
 * stores and the listener bridge need of a model. {@link MultiLayerModel} implements it for
 * {@link MultiLayerNetwork}; {@link #none()} is the scheduling-only model of a simulation without gradients.
 */
public interface TrainableModel {

    /** A {@link MultiLayerNetwork} (initialised). */
    static TrainableModel of(MultiLayerNetwork net) {
        return new MultiLayerModel(net);
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

    /** A private evaluator of parameter vectors on {@code data}, for one thread at a time. */
    Evaluator newEvaluator(DataSetIterator data);

    /** A private scorer of parameter vectors by their loss on {@code sample}, for one thread at a time. */
    Scorer newScorer(DataSet sample);

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
     * DL4J's JSON of the model's configuration with the given iteration and epoch counts (for a checkpoint; the
     * model itself is not changed), or null for a model without one (scheduling only).
     */
    default String configurationJson(int iteration, int epoch) {
        return null;
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
