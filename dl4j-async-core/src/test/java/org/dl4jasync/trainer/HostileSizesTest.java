package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Sizes that once ran out of memory: the simulator's counts by staleness are one for the whole run (one thread
 * records every virtual worker's updates), so memory is O(workers + max τ), not O(workers × max τ) as with a
 * histogram per worker (4,096 workers × 2·10⁶ steps needed 4.3 GB; 8,192 and 100,000 workers ended in an
 * OutOfMemoryError). Surefire's JVM has the launcher's heap (-Xmx4g).
 */
class HostileSizesTest {
    @Test
    void aHundredThousandVirtualWorkersWithoutAModel() {
        int m = 100_000;
        TrainingReport r = new Simulator.Builder(m, StepTimes.parse("exp:0.01", m))
                .seed(1)
                .maxSteps(3L * m)
                .build()
                .run();
        assertThat(r.stepsAccepted()).isEqualTo(3L * m);
        // the first m updates have τ 0 … m − 1 (the pipeline fills), the next 2m about m − 1: mean ≈ 5m/6
        assertThat(r.staleness().mean()).isCloseTo(5.0 * m / 6, within(0.05 * m));
        assertThat(r.staleness().histogram().stream().mapToLong(e -> e[1]).sum())
                .isEqualTo(3L * m);
    }

    @Test
    void workerCountsThatCannotRunAreRefusedWithTheLimit() {
        assertThatThrownBy(() -> new AsyncTrainer.Builder(TinyNets.net(1))
                        .workers(100_000)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 4096 on threads");
        // 1,001,000 parameters: 4 MB a vector, 3 per virtual worker: 1,000 of them need 12 GB > the 4 GB heap
        MultiLayerNetwork wide = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(1000)
                        .nOut(1000)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
        wide.init();
        Assumptions.assumeTrue(Pointer.maxBytes() < 12_000_000_000L, "a JVM with less than 12 GB for ND4J");
        assertThatThrownBy(() -> new Simulator.Builder(1000, StepTimes.parse("exp:0.01", 1000))
                        .network(wide, TinyNets.blobs(1, 2, 1))
                        .maxSteps(10)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1000 virtual workers need at least");
    }

    @Test
    void theSharedCountsAddUpAsPerWorkerOnesDid() {
        int m = 64;
        TrainingReport r = new Simulator.Builder(m, StepTimes.parse("exp:0.01", m))
                .seed(3)
                .maxSteps(20_000)
                .build()
                .run();
        assertThat(r.staleness().histogram().stream().mapToLong(e -> e[1]).sum())
                .isEqualTo(20_000);
        assertThat(r.staleness().mean()).isCloseTo(m - 1.0, within(0.05 * m));
        assertThat(r.stepScale().byStaleness()).allSatisfy(e -> assertThat(e[1]).isEqualTo(1.0)); // constant step
    }
}
