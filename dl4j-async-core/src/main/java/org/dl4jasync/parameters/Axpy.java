package org.dl4jasync.parameters;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** In-place vector arithmetic on flat buffers that may differ in rank ([n] vs [1, n]). */
final class Axpy {
    private Axpy() {
    }

    /** {@code y ← y − a·x} through BLAS axpy: no temporary array. */
    static void subtractScaled(INDArray y, INDArray x, double a) {
        if (x.length() != y.length()) {
            throw new IllegalArgumentException("update of length " + x.length() + " for " + y.length() + " parameters");
        }
        Nd4j.getBlasWrapper().level1().axpy(y.length(), -a, x, y);
    }

    /** True when both arrays are the same memory (one may be a reshaped view of the other). */
    static boolean sameMemory(INDArray a, INDArray b) {
        return a.length() == b.length() && a.data().address() == b.data().address() && a.offset() == b.offset();
    }
}
