package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.dispatch.AbsPolicy;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Local SGD for K-async and ABS: each worker takes H steps on its own copy and submits the sum of their updates.
 * A submission carries H gradients; with K = m every worker submits once per round (synchronous local SGD).
 */
class LocalSgdTest {
    private static final List<DataSet> TRAIN = TinyNets.blobs(40, 8, 5);

    private static MultiLayerNetwork sgdNet() {
        MultiLayerNetwork net = new MultiLayerNetwork(TinyNets.conf(3, false));
        net.init();
        return net;
    }

    @ParameterizedTest
    @EnumSource(ParameterStore.Kind.class)
    void everySubmissionCarriesHLocalStepsOnThreads(ParameterStore.Kind store) {
        int h = 5;
        TrainingReport r;
        try (AsyncTrainer t = new AsyncTrainer.Builder(TinyNets.net(2))
                .workers(6)
                .store(store)
                .dispatch(new org.dl4jasync.dispatch.RoundSpec.KAsync(java.util.OptionalInt.of(3), false, h))
                .maxSteps(40)
                .build()) {
            r = t.fit(TinyNets.iterator(TRAIN), Integer.MAX_VALUE);
        }
        assertThat(r.rounds()).isEqualTo(40);
        assertThat(r.uploads() - 3 * r.rounds()).isBetween(0L, 2L);
        // every started step is a local step or (every H-th) a submission; at most one sequence per worker is cut off
        assertThat(r.gradientsComputed() - h * r.uploads()).isBetween(0L, 6L * (h - 1));
        assertThat(r.config().get("local_steps")).isEqualTo(h);
    }

    @Test
    void kasyncWithKEqualToMIsSynchronousLocalSgdAndAbsWithSZeroIsTheSame() {
        int m = 4;
        MultiLayerNetwork a = sgdNet();
        TrainingReport local = new Simulator.Builder(m, StepTimes.parse("shifted-exp:0.02,0.01", m))
                .seed(3)
                .network(a, TRAIN)
                .dispatch(new org.dl4jasync.dispatch.RoundSpec.KAsync(java.util.OptionalInt.of(m), false, 4))
                .maxSteps(25)
                .gradientThreads(0)
                .build()
                .run();
        assertThat(local.uploads()).isEqualTo(25L * m); // every worker once per round
        assertThat(local.staleness().max()).isZero(); // each from the round's own model: synchronous
        assertThat(local.gradientsComputed()).isGreaterThanOrEqualTo(25L * m * 4);

        MultiLayerNetwork b = sgdNet();
        TrainingReport abs = new Simulator.Builder(m, StepTimes.parse("shifted-exp:0.02,0.01", m))
                .seed(3)
                .network(b, TRAIN)
                .dispatch(new org.dl4jasync.dispatch.RoundSpec.Abs(
                        java.util.OptionalInt.empty(), java.util.OptionalDouble.empty(), 4, k -> new AbsPolicy.Builder(
                                        k)
                                .fixedK(k)
                                .fixedThreshold(0)
                                .build()))
                .maxSteps(25)
                .gradientThreads(0)
                .build()
                .run();
        assertThat(abs.restarts()).isZero();
        assertThat(b.params()).isEqualTo(a.params());
    }

    @Test
    void absRestartsAWorkerBetweenLocalStepsWhenItsBaseFallsTooFarBehind() {
        int m = 16;
        // a straggler-heavy time model and S = 1: slow workers' local sequences are cut
        TrainingReport r = new Simulator.Builder(m, StepTimes.parse("shifted-exp:0.01,0.02", m))
                .seed(8)
                .network(sgdNet(), TRAIN)
                .dispatch(new org.dl4jasync.dispatch.RoundSpec.Abs(
                        java.util.OptionalInt.of(2), java.util.OptionalDouble.of(1), 3))
                .maxSteps(60)
                .build()
                .run();
        assertThat(r.restarts()).isPositive();
        assertThat(r.staleness().max()).isLessThanOrEqualTo(1);
        assertThat(r.stepsRejected()).isEqualTo(r.restarts());
    }
}
