package org.dl4jasync.model;

import java.util.function.Consumer;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * What {@link MultiLayerModel} and {@link GraphModel} do alike, written once: the private copies that evaluate and
 * score parameter vectors, and the step shown to listeners. The subclass supplies what DL4J's two network classes
 * spell differently (a copy of the configuration over other parameters, evaluation, scoring, setting a minibatch).
 *
 * @param <N> the DL4J network class
 */
abstract class NetworkModel<N extends Model> implements TrainableModel {
    /** The original network (trained in place). */
    final N net;

    private final Class<N> type;
    /** Made on first use, by the thread holding the listener lock. */
    private ShownUpdate shown;

    NetworkModel(N net, Class<N> type) {
        this.net = net;
        this.type = type;
    }

    /** A network of the model's configuration (a clone: counters not shared) over {@code params}, without copying. */
    abstract N over(INDArray params);

    /** Classification accuracy of {@code n} (first output) on {@code data}, reset first; NaN when it diverged. */
    abstract double accuracy(N n, MultiDataSetIterator data);

    /** The loss of {@code n} on {@code sample} (not training mode). */
    abstract double score(N n, MultiDataSet sample);

    /** Makes {@code batch} the network's input and labels (what {@code batchSize()} reads). */
    abstract void showBatch(MultiDataSet batch);

    @Override
    public final INDArray params() {
        return net.params();
    }

    @Override
    public final Evaluator newEvaluator(MultiDataSetIterator data) {
        PrivateCopy copy = new PrivateCopy();
        return fill -> accuracy(copy.filled(fill), data);
    }

    @Override
    public final Scorer newScorer(MultiDataSet sample) {
        PrivateCopy copy = new PrivateCopy();
        return fill -> {
            double s = score(copy.filled(fill), sample);
            return Double.isFinite(s) ? s : Double.NaN;
        };
    }

    /** A network of the model's configuration with parameters of its own, made on first use by its one thread. */
    private final class PrivateCopy {
        private N copy;

        N filled(Consumer<INDArray> fill) {
            if (copy == null) {
                copy = over(net.params().dup());
            }
            fill.accept(copy.params());
            return copy;
        }
    }

    @Override
    public final boolean hasParameters() {
        return true;
    }

    @Override
    public final Model model() {
        return net;
    }

    @Override
    public final void showStep(MultiDataSet batch, INDArray update, double scale) {
        if (batch != null) {
            showBatch(batch);
        }
        if (update != null) {
            if (shown == null) {
                shown = new ShownUpdate(net, type);
            }
            shown.show(update, scale);
        }
    }
}
