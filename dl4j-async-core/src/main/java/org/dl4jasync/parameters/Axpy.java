package org.dl4jasync.parameters;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code y ← y − a·x} in place through BLAS axpy: no temporary array. */
final class Axpy {
    private Axpy() {
    }

    static void subtractScaled(INDArray y, INDArray x, double a) {
        if (a == 1.0) {
            y.subi(x);
        } else {
            Nd4j.getBlasWrapper().level1().axpy(y.length(), -a, x, y);
        }
    }
}
