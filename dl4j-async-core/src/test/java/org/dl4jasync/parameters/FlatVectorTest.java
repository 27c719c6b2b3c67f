package org.dl4jasync.parameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The store's arithmetic on both paths: raw CBLAS (the CPU backend here) and ND4J's ops (what any other backend, e.g.
 * CUDA, takes), with the same results; the library itself chooses no backend.
 */
class FlatVectorTest {

    @Test
    void theCpuBackendWithOpenBlasTakesTheCblasPath() {
        assertThat(FlatVector.CBLAS).as("nd4j-native is the tests' backend").isTrue();
    }

    @ParameterizedTest
    @EnumSource(
            value = DataType.class,
            names = {"FLOAT", "DOUBLE"})
    void bothPathsComputeTheSame(DataType type) {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(type, 1, 1000);
        INDArray y0 = Nd4j.rand(type, 1, 1000);
        INDArray viaBlas = y0.dup();
        INDArray viaOps = y0.dup();

        FlatVector.of(viaBlas).subtractScaled(FlatVector.of(x), 0.25);
        FlatVector.withNd4jOps(viaOps).subtractScaled(FlatVector.withNd4jOps(x), 0.25);
        assertThat(viaOps.equalsWithEps(viaBlas, 1e-6)).isTrue();
        assertThat(viaOps.equalsWithEps(y0.sub(x.mul(0.25)), 1e-6)).isTrue();

        FlatVector.withNd4jOps(viaOps).copyFrom(FlatVector.withNd4jOps(x));
        assertThat(viaOps).isEqualTo(x);
        FlatVector.of(viaBlas).copyFrom(FlatVector.withNd4jOps(x)); // mixed: the ops path
        assertThat(viaBlas).isEqualTo(x);
    }

    @Test
    void otherTypesAndShapesAreRefusedOnBothPaths() {
        assertThatThrownBy(() -> FlatVector.withNd4jOps(Nd4j.zeros(DataType.INT, 1, 4)))
                .hasMessageContaining("FLOAT or DOUBLE");
        assertThatThrownBy(() -> FlatVector.withNd4jOps(Nd4j.zeros(3, 4).getColumn(1)))
                .hasMessageContaining("contiguous");
        assertThatThrownBy(() -> FlatVector.of(Nd4j.zeros(DataType.FLOAT, 1, 4))
                        .subtractScaled(FlatVector.withNd4jOps(Nd4j.zeros(DataType.FLOAT, 1, 5)), 1))
                .hasMessageContaining("vector of 5 floats for 4 floats");
    }
}
