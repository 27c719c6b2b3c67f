package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.config.NonFinitePolicy;
import org.dl4jasync.config.RunOptions;
import org.dl4jasync.metrics.TracePoint;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The two engines are one: the same step protocol, stop conditions, traces and report. Every algorithm ends by
 * every stop condition in both, and where a run is deterministic in both (one worker) they agree exactly.
 */
@Timeout(60) // a stop condition that does not stop must fail here, not hang the build
class EngineEquivalenceTest {
    private static final List<DataSet> TRAIN = TinyNets.blobs(20, 16, 7);
    private static final List<DataSet> TEST = TinyNets.blobs(5, 32, 8);

    /** The algorithms as a user composes them, for m workers. */
    enum Algo {
        SEQUENTIAL,
        SYNC,
        ASYNC,
        INTERVAL,
        ELASTIC;

        <B extends RunOptions<B>> B compose(B b, int m) {
            switch (this) {
                case SEQUENTIAL:
                    return b.algorithm(Algorithm.SEQUENTIAL);
                case SYNC:
                    return b.algorithm(Algorithm.SYNC);
                case INTERVAL:
                    return b.dispatch(org.dl4jasync.dispatch.DispatchSpec.Interval.fixed(4));
                case ELASTIC:
                    return b.algorithm(Algorithm.ASYNC).elastic(org.dl4jasync.parallelism.ElasticSpec.Probing.of(5, 2));
                default:
                    return b;
            }
        }
    }

    enum Stop {
        EPOCHS,
        MAX_STEPS,
        TIME_LIMIT,
        TARGET_ACCURACY,
        DIVERGED
    }

    static List<Arguments> everyAlgorithmAndStop() {
        List<Arguments> all = new java.util.ArrayList<>();
        for (Algo a : Algo.values()) {
            for (Stop s : Stop.values()) {
                all.add(Arguments.of(a, s));
            }
        }
        return all;
    }

    private static <B extends RunOptions<B>> B stopBy(B b, Stop stop) {
        switch (stop) {
            case MAX_STEPS:
                return b.maxSteps(37);
            case TARGET_ACCURACY:
                return b.evaluation(TinyNets.iterator(TEST), 5).targetAccuracy(0.6);
            case DIVERGED:
                return b.evaluation(TinyNets.iterator(TEST), 5).onNonFinite(NonFinitePolicy.STOP);
            default:
                return b;
        }
    }

    private static MultiLayerNetwork net(Stop stop) {
        return stop == Stop.DIVERGED ? TinyNets.exploding() : TinyNets.net(3);
    }

    private static int epochs(Stop stop) {
        return stop == Stop.EPOCHS ? 2 : Integer.MAX_VALUE;
    }

    @ParameterizedTest(name = "{0} by {1}, threads")
    @MethodSource("everyAlgorithmAndStop")
    void everyAlgorithmEndsByEveryStopConditionUnderThreads(Algo algo, Stop stop) {
        AsyncTrainer.Builder b =
                algo.compose(new AsyncTrainer.Builder(net(stop)).workers(3).seed(5), 3);
        stopBy(b, stop);
        if (stop == Stop.TIME_LIMIT) {
            b.timeLimit(Duration.ofMillis(300));
        }
        TrainingReport r = b.build().fit(TinyNets.iterator(TRAIN), epochs(stop));
        assertThat(r.stopReason().key()).isEqualTo(stop.name().toLowerCase());
        assertThat(r.algorithm()).isEqualTo(algo.name().toLowerCase());
        checkCounts(r, stop);
    }

    @ParameterizedTest(name = "{0} by {1}, virtual time")
    @MethodSource("everyAlgorithmAndStop")
    void everyAlgorithmEndsByEveryStopConditionInVirtualTime(Algo algo, Stop stop) {
        Simulator.Builder b = algo.compose(new Simulator.Builder(3, StepTimes.parse("exp:1", 3)).seed(5), 3)
                .network(net(stop), TRAIN);
        stopBy(b, stop);
        if (stop == Stop.TIME_LIMIT) {
            b.virtualTimeLimit(50);
        }
        if (stop == Stop.EPOCHS) {
            b.epochs(2);
        }
        if (stop == Stop.DIVERGED) {
            b.virtualTimeLimit(1e6); // a simulation needs a sure end; divergence comes long before
        }
        TrainingReport r = b.build().run();
        assertThat(r.stopReason().key()).isEqualTo(stop.name().toLowerCase());
        assertThat(r.algorithm()).isEqualTo(algo.name().toLowerCase());
        checkCounts(r, stop);
    }

    private static void checkCounts(TrainingReport r, Stop stop) {
        if (stop == Stop.MAX_STEPS) {
            assertThat(r.stepsAccepted()).isEqualTo(37);
        }
        if (stop == Stop.EPOCHS) {
            assertThat(r.epochsCompleted()).isEqualTo(2);
        }
        if (stop == Stop.TARGET_ACCURACY) {
            assertThat(r.timeToTargetSeconds()).isNotNull();
        }
        if (stop == Stop.DIVERGED) {
            assertThat(r.finalAccuracy()).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Algo.class,
            names = {"SEQUENTIAL", "SYNC"})
    void oneVirtualWorkerWithRealGradientsEqualsOneThreadExactly(Algo algo) {
        MultiLayerNetwork threaded = TinyNets.net(4);
        MultiLayerNetwork virtual = TinyNets.net(4);
        algo.compose(new AsyncTrainer.Builder(threaded).workers(1).seed(9), 1)
                .build()
                .fit(TinyNets.iterator(TRAIN), 3);
        algo.compose(new Simulator.Builder(1, StepTimes.parse("exp:1", 1)).seed(9), 1)
                .network(virtual, TRAIN)
                .epochs(3)
                .build()
                .run();
        assertThat(virtual.params().sub(threaded.params()).amaxNumber().doubleValue())
                .isZero();
        assertThat(virtual.getIterationCount())
                .isEqualTo(threaded.getIterationCount())
                .isEqualTo(3 * TRAIN.size());
        assertThat(virtual.getEpochCount()).isEqualTo(threaded.getEpochCount()).isEqualTo(3);
    }

    /** Scripted situations: one worker, so both engines are deterministic and must agree on everything but time. */
    enum Script {
        DIVERGENCE,
        END_OF_DATA,
        TARGET_REACHED;

        <B extends RunOptions<B>> B compose(B b) {
            switch (this) {
                case DIVERGENCE: // the first non-finite loss ends the run; evaluated only at the end
                    return b.maxSteps(3).evaluation(TinyNets.iterator(TEST)).onNonFinite(NonFinitePolicy.STOP);
                case TARGET_REACHED:
                    return b.evaluation(TinyNets.iterator(TEST), 4).targetAccuracy(0.6);
                default:
                    return b.evaluation(TinyNets.iterator(TEST), 10);
            }
        }

        MultiLayerNetwork net() {
            return this == DIVERGENCE ? TinyNets.exploding() : TinyNets.net(6);
        }

        String reason() {
            return this == DIVERGENCE ? "diverged" : this == END_OF_DATA ? "epochs" : "target_accuracy";
        }
    }

    @ParameterizedTest
    @EnumSource(Script.class)
    void bothEnginesGiveTheSameStopReasonAndTraces(Script script) {
        TrainingReport threads = script.compose(new AsyncTrainer.Builder(script.net())
                        .algorithm(Algorithm.SEQUENTIAL)
                        .seed(2)
                        .lossTraceEvery(7))
                .build()
                .fit(TinyNets.iterator(TRAIN), 4);
        TrainingReport virtual = script.compose(new Simulator.Builder(1, StepTimes.parse("exp:1", 1))
                        .algorithm(Algorithm.SEQUENTIAL)
                        .seed(2)
                        .lossTraceEvery(7))
                .network(script.net(), TRAIN)
                .epochs(4)
                .build()
                .run();
        assertThat(threads.stopReason().key())
                .isEqualTo(virtual.stopReason().key())
                .isEqualTo(script.reason());
        assertThat(threads.stepsAccepted()).isEqualTo(virtual.stepsAccepted());
        assertThat(threads.epochsCompleted()).isEqualTo(virtual.epochsCompleted());
        assertThat(threads.finalAccuracy()).isEqualTo(virtual.finalAccuracy());
        assertThat(withoutTime(threads.lossTrace()))
                .isEqualTo(withoutTime(virtual.lossTrace()))
                .isNotEmpty();
        assertThat(withoutTime(threads.accuracyTrace())).isEqualTo(withoutTime(virtual.accuracyTrace()));
        if (script != Script.DIVERGENCE) {
            assertThat(threads.accuracyTrace()).isNotEmpty();
        }
        assertThat(threads.timeToTargetSeconds() == null).isEqualTo(virtual.timeToTargetSeconds() == null);
    }

    private static List<String> withoutTime(List<TracePoint> trace) {
        Function<TracePoint, String> f = p -> p.steps + ":" + p.value;
        return trace.stream().map(f).collect(java.util.stream.Collectors.toList());
    }

    @Test
    void syncEndsNormallyAtATimeLimitWhileWorkersWaitForTheRound() {
        // the bug this replaces: the time limit interrupted a worker waiting at the sync barrier (exit 1)
        TrainingReport r = new AsyncTrainer.Builder(TinyNets.net(2))
                .algorithm(Algorithm.SYNC)
                .workers(4)
                .timeLimit(Duration.ofMillis(200))
                .build()
                .fit(TinyNets.iterator(TRAIN), Integer.MAX_VALUE);
        assertThat(r.stopReason().key()).isEqualTo("time_limit");
        assertThat(r.staleness().max()).isZero();
        assertThat(r.batchesProcessed()).isGreaterThanOrEqualTo(4 * r.stepsAccepted());
    }
}
