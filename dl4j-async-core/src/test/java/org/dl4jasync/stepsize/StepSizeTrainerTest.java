package org.dl4jasync.stepsize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.testing.TinyNets;
import org.dl4jasync.trainer.AsyncTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.dataset.DataSet;

/** The policies under real worker threads, through the trainer, on every store. */
class StepSizeTrainerTest {
    private static final List<DataSet> TRAIN = TinyNets.blobs(40, 16, 7);

    @ParameterizedTest
    @EnumSource(ParameterStore.Kind.class)
    void tailRunsOnEveryStoreAndTheReportHasItsCurve(ParameterStore.Kind kind) {
        int m = 6; // 6 threads on few cores: τ spreads over several values
        TailStepSize tail = new TailStepSize.Builder(m)
                .warmup(60)
                .window(200)
                .refreshEvery(20)
                .build();
        TrainingReport r = new AsyncTrainer.Builder(TinyNets.net(9))
                .workers(m)
                .store(kind)
                .stepSize(tail)
                .maxSteps(1200)
                .build()
                .fit(TinyNets.iterator(TRAIN), Integer.MAX_VALUE);
        assertThat(r.stepsAccepted()).isEqualTo(1200);
        assertThat(r.stepSize()).isEqualTo("tail");
        assertThat(r.stepScale().policy()).startsWith("tail(A=1.0, phi=identity, warmup 60, window 200, every 20)");
        assertThat(r.stepScale().normalized()).isTrue();
        assertThat(r.stepScale().min()).isGreaterThanOrEqualTo(0.0);
        assertThat(r.stepScale().max()).isLessThanOrEqualTo(2.0);
        long applied = 0;
        for (double[] point : r.stepScale().byStaleness()) {
            assertThat(point[1]).isBetween(0.0, 2.0);
            applied += r.staleness().histogram().stream()
                    .filter(h -> h[0] == (long) point[0])
                    .mapToLong(h -> h[1])
                    .sum();
        }
        assertThat(applied).isEqualTo(1200);
        assertThat(tail.window().observed()).isEqualTo(1200); // every applied update was observed exactly once
        assertThat(tail.currentFactors()).isNotNull();
    }

    @Test
    void stalenessPoliciesNeedTheAsyncAlgorithm() {
        assertThatThrownBy(() -> new AsyncTrainer.Builder(TinyNets.net(1))
                        .algorithm(Algorithm.SYNC)
                        .stepSize(new TailStepSize.Builder(2).build())
                        .build())
                .hasMessageContaining("updates have no staleness to adapt to");
    }
}
