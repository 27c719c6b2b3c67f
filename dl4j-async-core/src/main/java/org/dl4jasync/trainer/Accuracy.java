package org.dl4jasync.trainer;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** Test accuracy that survives divergence: DL4J's {@code Evaluation} refuses NaN predictions by throwing. */
public final class Accuracy {
    private Accuracy() {
    }

    /** Accuracy of {@code net} on {@code data} (reset first), or NaN when its predictions are NaN (diverged). */
    public static double of(MultiLayerNetwork net, DataSetIterator data) {
        if (net.params().isNaN().any() || net.params().isInfinite().any()) {
            return Double.NaN;
        }
        data.reset();
        try {
            return net.evaluate(data).accuracy();
        } catch (IllegalStateException e) {
            if (String.valueOf(e.getMessage()).contains("NaN")) {
                return Double.NaN;
            }
            throw e;
        }
    }
}
