package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.config.NonFinitePolicy;
import org.dl4jasync.config.RunOptions;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A NaN or infinite loss or update is caught on the worker before it is applied, by every algorithm family (a
 * direct apply, a sync round, a K-async round, local SGD) on both engines: the default fails the run naming the step,
 * worker and staleness; skip counts and goes on; stop ends the run as diverged. The network never holds a non-finite
 * parameter.
 */
@Timeout(120)
class NonFiniteTest {
    private static final List<DataSet> TRAIN = TinyNets.blobs(20, 8, 1);
    private static final List<DataSet> TEST = TinyNets.blobs(4, 16, 2);

    /** The algorithm families whose finishing path differs: apply, sync round, K-async round, local SGD. */
    enum Family {
        ASYNC,
        SYNC,
        KASYNC,
        LOCAL_SGD;

        <B extends RunOptions<B>> B compose(B b) {
            switch (this) {
                case SYNC:
                    return b.algorithm(Algorithm.SYNC);
                case KASYNC:
                    return b.dispatch(org.dl4jasync.dispatch.RoundSpec.KAsync.of(2));
                case LOCAL_SGD:
                    return b.dispatch(
                            new org.dl4jasync.dispatch.RoundSpec.KAsync(java.util.OptionalInt.of(2), false, 3));
                default:
                    return b.algorithm(Algorithm.ASYNC);
            }
        }
    }

    static List<Arguments> familiesAndStores() {
        List<Arguments> all = new ArrayList<>();
        for (Family f : Family.values()) {
            for (ParameterStore.Kind k : ParameterStore.Kind.values()) {
                all.add(Arguments.of(f, k));
            }
        }
        return all;
    }

    private static boolean allFinite(INDArray a) {
        for (double d : a.toDoubleVector()) {
            if (!Double.isFinite(d)) {
                return false;
            }
        }
        return true;
    }

    @ParameterizedTest(name = "{0}/{1}, threads")
    @MethodSource("familiesAndStores")
    void byDefaultTheRunFailsNamingTheStepAndNothingIsApplied(Family family, ParameterStore.Kind store) {
        MultiLayerNetwork net = TinyNets.exploding();
        AsyncTrainer t = family.compose(new AsyncTrainer.Builder(net).workers(3).store(store))
                .build();
        assertThatThrownBy(() -> t.fit(TinyNets.iterator(TRAIN), 50))
                .isInstanceOf(TrainingFailedException.class)
                .hasMessageContaining("training failed in worker")
                .cause()
                .isInstanceOf(NonFiniteUpdateException.class)
                .hasMessageMatching("non-finite (update|loss \\(.*\\)) at step \\d+ of worker [0-2] "
                        + "\\(read version \\d+, staleness \\d+\\); not applied\\..*");
        assertThat(allFinite(net.params())).as("the network's parameters").isTrue();
        assertThat(BadInputTest.liveWorkerThreads()).isZero();
    }

    @ParameterizedTest(name = "{0}, virtual time")
    @MethodSource("familiesAndStores")
    void byDefaultTheSimulationFailsNamingTheStep(Family family, ParameterStore.Kind store) {
        Simulator sim = family.compose(new Simulator.Builder(3, StepTimes.parse("exp:1", 3)).store(store))
                .network(TinyNets.exploding(), TRAIN)
                .epochs(50)
                .build();
        assertThatThrownBy(sim::run)
                .isInstanceOf(TrainingFailedException.class)
                .hasMessageContaining("at virtual time")
                .cause()
                .isInstanceOf(NonFiniteUpdateException.class)
                .hasMessageContaining("; not applied");
    }

    @ParameterizedTest(name = "{0}/{1}, threads")
    @MethodSource("familiesAndStores")
    void skipCountsEveryRefusedStepAndTrainsToTheEnd(Family family, ParameterStore.Kind store) {
        MultiLayerNetwork net = TinyNets.exploding();
        TrainingReport r = family.compose(
                        new AsyncTrainer.Builder(net).workers(3).store(store))
                .onNonFinite(NonFinitePolicy.SKIP)
                .build()
                .fit(TinyNets.iterator(TRAIN), 3);
        assertThat(r.stopReason().key()).isEqualTo("epochs");
        assertThat(r.stepsNonFinite()).isPositive();
        assertThat(allFinite(net.params())).isTrue();
        assertThat(r.config()).containsEntry("on_non_finite", "skip");
        if (family == Family.ASYNC) { // every step has one fate
            assertThat(r.stepsAccepted() + r.stepsRejected() + r.stepsDropped() + r.stepsNonFinite())
                    .isEqualTo(r.stepsStarted())
                    .isEqualTo(3 * TRAIN.size());
        }
    }

    @Test
    void skipCountsTheSameStepsOnBothEnginesWithOneWorker() {
        // one worker: the thread engine's order is the simulator's, so the same steps are refused
        TrainingReport threads = new AsyncTrainer.Builder(TinyNets.exploding())
                .workers(1)
                .seed(3)
                .onNonFinite(NonFinitePolicy.SKIP)
                .build()
                .fit(TinyNets.iterator(TRAIN), 2);
        TrainingReport sim = new Simulator.Builder(1, StepTimes.parse("exp:1", 1))
                .seed(3)
                .onNonFinite(NonFinitePolicy.SKIP)
                .network(TinyNets.exploding(), TRAIN)
                .epochs(2)
                .shuffle(false)
                .build()
                .run();
        assertThat(sim.stepsNonFinite()).isPositive().isEqualTo(threads.stepsNonFinite());
        assertThat(sim.stepsAccepted()).isEqualTo(threads.stepsAccepted());
    }

    @ParameterizedTest(name = "{0}/{1}, threads")
    @MethodSource("familiesAndStores")
    void stopEndsTheRunAsDiverged(Family family, ParameterStore.Kind store) {
        MultiLayerNetwork net = TinyNets.exploding();
        TrainingReport r = family.compose(
                        new AsyncTrainer.Builder(net).workers(3).store(store))
                .onNonFinite(NonFinitePolicy.STOP)
                .evaluation(TinyNets.iterator(TEST), 10)
                .build()
                .fit(TinyNets.iterator(TRAIN), 50);
        assertThat(r.stopReason().key()).isEqualTo("diverged");
        assertThat(r.stepsNonFinite()).isPositive();
        assertThat(allFinite(net.params())).isTrue();
        assertThat(r.toJson()).doesNotContain(": NaN").doesNotContain(", NaN ]"); // NaN only as the string "NaN"
    }

    @Test
    void stopEndsTheSimulationAsDiverged() {
        TrainingReport r = new Simulator.Builder(4, StepTimes.parse("exp:1", 4))
                .onNonFinite(NonFinitePolicy.STOP)
                .network(TinyNets.exploding(), TRAIN)
                .evaluation(TinyNets.iterator(TEST), 10)
                .epochs(50)
                .build()
                .run();
        assertThat(r.stopReason().key()).isEqualTo("diverged");
        assertThat(r.stepsNonFinite()).isPositive();
    }

    @Test
    void aNanFeatureFailsTheRunAtItsStep() {
        List<DataSet> data = new ArrayList<>();
        for (DataSet d : TinyNets.blobs(10, 8, 4)) {
            data.add(d.copy());
        }
        data.get(6).getFeatures().putScalar(3, 1, Double.NaN);
        MultiLayerNetwork net = TinyNets.net(2);
        AsyncTrainer t = new AsyncTrainer.Builder(net).workers(1).shuffle(false).build();
        assertThatThrownBy(() -> t.fit(TinyNets.iterator(data), 1))
                .isInstanceOf(TrainingFailedException.class)
                .cause()
                .isInstanceOf(NonFiniteUpdateException.class)
                .hasMessageContaining("non-finite loss (NaN) at step 6 of worker 0 (read version 6, staleness 0)");
        assertThat(allFinite(net.params())).isTrue();
    }
}
