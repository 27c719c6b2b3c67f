package org.dl4jasync.model;

import java.util.OptionalDouble;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.optimizer.HeavyBall;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.learning.config.IUpdater;

/** What {@link MultiLayerModel} and {@link GraphModel} check and measure alike. */
final class Models {
    private Models() {}

    /**
     * Refuses layers with parameter constraints: DL4J applies them to the parameters after each update, which on
     * shared parameters would be a second, unsynchronised write of whole layers racing the workers' updates (and
     * would differ between the stores); kept out rather than applied differently per store.
     */
    static void checkNoConstraints(Layer[] layers) {
        for (Layer l : layers) {
            org.deeplearning4j.nn.conf.layers.Layer c = l.conf().getLayer();
            if (c.getConstraints() != null && !c.getConstraints().isEmpty()) {
                throw new IllegalArgumentException("layer " + c.getLayerName() + " has parameter constraints "
                        + c.getConstraints() + ", which the asynchronous trainer does not apply; remove them or "
                        + "train with net.fit");
            }
        }
    }

    /**
     * The initial learning rate of the layers' updaters when every layer with parameters has one and they agree
     * (e.g. {@code Sgd(0.01)} set on the network), else empty (an updater without a learning rate such as AdaDelta,
     * or layers with different rates).
     */
    static OptionalDouble learningRate(Layer[] layers) {
        double lr = Double.NaN;
        for (Layer l : layers) {
            if (l.numParams() == 0 || !(l.conf().getLayer() instanceof BaseLayer)) {
                continue;
            }
            IUpdater u = ((BaseLayer) l.conf().getLayer()).getIUpdater();
            if (u == null || !u.hasLearningRate()) {
                return OptionalDouble.empty();
            }
            double r = u.getLearningRate(0, 0);
            if (!Double.isNaN(lr) && r != lr) {
                return OptionalDouble.empty();
            }
            lr = r;
        }
        return Double.isNaN(lr) ? OptionalDouble.empty() : OptionalDouble.of(lr);
    }

    /** Whether every layer with parameters is trained by heavy-ball momentum ({@link org.dl4jasync.optimizer.HeavyBall}). */
    static boolean heavyBall(Layer[] layers) {
        boolean any = false;
        for (Layer l : layers) {
            if (l.numParams() == 0) {
                continue;
            }
            if (!(l.conf().getLayer() instanceof BaseLayer)
                    || !(((BaseLayer) l.conf().getLayer()).getIUpdater() instanceof HeavyBall)) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /** Accuracy of {@code n} on {@code data} (reset first), or NaN when it diverged (DL4J's Evaluation throws on NaN). */
    static double accuracyOf(MultiLayerNetwork n, MultiDataSetIterator data) {
        return accuracy(n.params(), () -> n.evaluate(data), data);
    }

    /** As {@link #accuracyOf(MultiLayerNetwork, MultiDataSetIterator)}, of the graph's first output. */
    static double accuracyOf(ComputationGraph g, MultiDataSetIterator data) {
        return accuracy(g.params(), () -> g.<Evaluation>evaluate(data), data);
    }

    private static double accuracy(INDArray params, Supplier<Evaluation> evaluate, MultiDataSetIterator data) {
        if (params.isNaN().any() || params.isInfinite().any()) {
            return Double.NaN;
        }
        data.reset();
        try {
            return evaluate.get().accuracy();
        } catch (IllegalStateException e) {
            if (String.valueOf(e.getMessage()).contains("NaN")) {
                return Double.NaN;
            }
            throw e;
        }
    }
}
