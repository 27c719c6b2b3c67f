package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.dispatch.AbsPolicy;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/**
 * ABS's two reductions, on the same seed in simulation: K = m with S = 0 is synchronous SGD, and K = 1 with S = ∞
 * is plain async. Plain SGD (no momentum), where averaging the workers' updates is averaging their gradients.
 */
class RoundReductionTest {
    private static final List<DataSet> TRAIN = TinyNets.blobs(30, 8, 11);
    private static final int M = 8;

    private static MultiLayerNetwork sgdNet() {
        MultiLayerNetwork net = new MultiLayerNetwork(TinyNets.conf(6, false));
        net.init();
        return net;
    }

    private static Simulator.Builder sim(MultiLayerNetwork net) {
        return new Simulator.Builder(M, StepTimes.parse("shifted-exp:0.02,0.01", M))
                .seed(4)
                .network(net, TRAIN)
                .pollDelay(1e-9)
                .gradientThreads(0);
    }

    @Test
    void absWithKEqualToMAndSZeroIsSynchronousSgd() {
        MultiLayerNetwork syncNet = sgdNet();
        TrainingReport sync =
                sim(syncNet).algorithm(Algorithm.SYNC).maxSteps(60).build().run();
        MultiLayerNetwork absNet = sgdNet();
        TrainingReport abs = sim(absNet)
                .maxSteps(60)
                .dispatch(new org.dl4jasync.dispatch.RoundSpec.Abs(
                        java.util.OptionalInt.empty(), java.util.OptionalDouble.empty(), 1, m -> new AbsPolicy.Builder(
                                        m)
                                .fixedK(m)
                                .fixedThreshold(0)
                                .build()))
                .build()
                .run();

        assertThat(abs.rounds()).isEqualTo(60).isEqualTo(sync.stepsAccepted());
        assertThat(abs.uploads()).isEqualTo(60L * M); // every worker once per round, no open round left
        assertThat(abs.restarts()).isZero();
        assertThat(abs.staleness().max()).isZero(); // every submission from the round's own model
        // the same batches per round (tickets r·m … r·m + m − 1, whichever worker drew which) on the same model
        assertThat(absNet.params().sub(syncNet.params()).amaxNumber().doubleValue())
                .isLessThan(1e-5);
        assertThat(abs.virtualSeconds()).isCloseTo(sync.virtualSeconds(), org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void absWithKOneAndNoThresholdIsPlainAsync() {
        // stopped by time: a step budget holds async's last steps back (a permit per step), not a round's
        MultiLayerNetwork asyncNet = sgdNet();
        TrainingReport async = sim(asyncNet)
                .algorithm(Algorithm.ASYNC)
                .virtualTimeLimit(0.3)
                .build()
                .run();
        MultiLayerNetwork absNet = sgdNet();
        TrainingReport abs = sim(absNet)
                .virtualTimeLimit(0.3)
                .dispatch(new org.dl4jasync.dispatch.RoundSpec.Abs(
                        java.util.OptionalInt.empty(), java.util.OptionalDouble.empty(), 1, m -> new AbsPolicy.Builder(
                                        m)
                                .fixedK(1)
                                .fixedThreshold(Long.MAX_VALUE)
                                .build()))
                .build()
                .run();

        assertThat(async.stepsAccepted()).isGreaterThan(50);
        assertThat(abs.rounds()).isEqualTo(abs.uploads()).isEqualTo(async.stepsAccepted());
        assertThat(abs.staleness().histogram())
                .usingElementComparator(java.util.Arrays::compare)
                .containsExactlyElementsOf(async.staleness().histogram());
        assertThat(absNet.params()).isEqualTo(asyncNet.params()); // bit for bit
        assertThat(abs.lossTrace())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(async.lossTrace());
        assertThat(abs.virtualSeconds()).isEqualTo(async.virtualSeconds());
    }
}
