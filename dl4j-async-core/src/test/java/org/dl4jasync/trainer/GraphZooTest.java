package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.model.SqueezeNet;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model of DL4J's zoo, unchanged: SqueezeNet (a ComputationGraph of fire modules with merge vertices, dropout,
 * L2 regularisation and workspaces enabled; about 0.73 M parameters at 10 classes), from the
 * {@code deeplearning4j-zoo} artifact itself (configurations only, no natives), on CIFAR-10-shaped random data at
 * 32×32 so that CI stays fast. A few steps on every store: the version count is exact and the parameters move.
 */
class GraphZooTest {
    private static final int STEPS = 6;

    @ParameterizedTest
    @EnumSource(ParameterStore.Kind.class)
    void squeezeNetTrainsAFewStepsOnEveryStore(ParameterStore.Kind store) {
        ComputationGraph g = SqueezeNet.builder()
                .numClasses(10)
                .inputShape(new int[] {3, 32, 32})
                .seed(1)
                .build()
                .init();
        INDArray before = g.params().dup();
        TrainingReport r = new AsyncTrainer.Builder(g)
                .workers(2)
                .store(store)
                .seed(3)
                .maxSteps(STEPS)
                .build()
                .fit(TinyNets.iterator(batches(8, 4)), 1);
        assertThat(r.stepsAccepted()).isEqualTo(STEPS);
        assertThat(g.getIterationCount()).isEqualTo(STEPS);
        assertThat(g.params().sub(before).amaxNumber().doubleValue())
                .as("parameters moved")
                .isPositive();
        assertThat(g.params().isNaN().any()).isFalse();
    }

    private static List<DataSet> batches(int n, int size) {
        Nd4j.getRandom().setSeed(5);
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            INDArray f = Nd4j.rand(DataType.FLOAT, size, 3, 32, 32);
            INDArray l = Nd4j.zeros(DataType.FLOAT, size, 10);
            for (int i = 0; i < size; i++) {
                l.putScalar(i, (b * size + i) % 10, 1.0);
            }
            out.add(new DataSet(f, l));
        }
        return out;
    }
}
