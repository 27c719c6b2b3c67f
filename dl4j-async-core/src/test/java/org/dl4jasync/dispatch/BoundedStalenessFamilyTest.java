package org.dl4jasync.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.config.RunOptions;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.testing.TinyNets;
import org.dl4jasync.trainer.AsyncTrainer;
import org.dl4jasync.trainer.Simulator;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The invariants of the bounded-staleness family, in simulation (deterministic, many workers, stragglers) and on
 * real threads (more threads than cores), on every store: bounded never applies τ &gt; B; SSP keeps the clocks
 * within s; K-async and ABS apply exactly K_t submissions per round and nothing older than S_t rounds.
 */
@Timeout(120)
class BoundedStalenessFamilyTest {
    private static final List<DataSet> TRAIN = TinyNets.blobs(40, 8, 3);

    enum Engine {
        SIMULATION,
        THREADS
    }

    static List<Arguments> everyEngineAndStore() {
        List<Arguments> all = new ArrayList<>();
        for (Engine e : Engine.values()) {
            for (ParameterStore.Kind k : ParameterStore.Kind.values()) {
                all.add(Arguments.of(e, k));
            }
        }
        return all;
    }

    /** Runs {@code options} on the engine: 24 simulated workers with stragglers, or 12 threads. */
    private static TrainingReport run(
            Engine engine,
            ParameterStore.Kind store,
            long maxSteps,
            java.util.function.UnaryOperator<RunOptions<?>> options) {
        if (engine == Engine.SIMULATION) {
            int m = 24;
            Simulator.Builder b = new Simulator.Builder(m, StepTimes.parse("shifted-exp:0.02,0.01", m))
                    .seed(5)
                    .store(store)
                    .maxSteps(maxSteps)
                    .network(TinyNets.net(2), TRAIN);
            RunOptions<?> unused = options.apply(b); // the options set themselves on b
            return b.build().run();
        }
        MultiLayerNetwork net = TinyNets.net(2);
        AsyncTrainer.Builder b =
                new AsyncTrainer.Builder(net).workers(12).store(store).maxSteps(maxSteps);
        RunOptions<?> unusedToo = options.apply(b);
        try (AsyncTrainer t = b.build()) {
            return t.fit(TinyNets.iterator(TRAIN), Integer.MAX_VALUE);
        }
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("everyEngineAndStore")
    void boundedNeverAppliesAnUpdateStalerThanB(Engine engine, ParameterStore.Kind store) {
        long bound = 3;
        AtomicLong violations = new AtomicLong();
        AtomicLong applied = new AtomicLong();
        TrainingReport r =
                run(engine, store, 300, b -> b.dispatch(org.dl4jasync.dispatch.DispatchSpec.Bounded.of(bound))
                        .stepListener((w, t, accepted, tau, scale, loss) -> {
                            if (accepted) {
                                applied.incrementAndGet();
                                if (tau > bound) {
                                    violations.incrementAndGet();
                                }
                            }
                        }));
        assertThat(violations.get()).isZero();
        assertThat(r.staleness().max()).isLessThanOrEqualTo(bound);
        assertThat(r.stepsAccepted()).isEqualTo(300).isEqualTo(applied.get());
        assertThat(r.algorithm()).isEqualTo("bounded");
        if (engine == Engine.SIMULATION) { // 24 workers with a bound of 3 must reject (threads may not, on 2 cores)
            assertThat(r.stepsRejected()).isPositive();
        }
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("everyEngineAndStore")
    void sspKeepsEveryWorkerWithinSOfTheSlowest(Engine engine, ParameterStore.Kind store) {
        int slack = 2;
        TrainingReport r = run(engine, store, 600, b -> b.dispatch(new org.dl4jasync.dispatch.DispatchSpec.Ssp(slack)));
        assertThat(r.clockSpreadMax()).isNotNull().isLessThanOrEqualTo((long) slack);
        assertThat(r.stepsAccepted()).isEqualTo(600);
        assertThat(r.stepsRejected()).isZero(); // nothing is dropped
        assertThat(r.algorithm()).isEqualTo("ssp");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void sspWithSlackZeroIsLockStep(Engine engine) {
        // at s = 0 no worker starts step c + 1 before every active worker has completed c: the spread is 0 throughout
        TrainingReport r = run(
                engine,
                ParameterStore.Kind.LOCKED,
                240,
                b -> b.dispatch(new org.dl4jasync.dispatch.DispatchSpec.Ssp(0)));
        assertThat(r.clockSpreadMax()).isZero();
        int m = r.workers();
        assertThat(r.staleness().max())
                .as("a step's update is preceded by at most the other m − 1 of its clock")
                .isLessThanOrEqualTo(2L * m - 2);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void sspWorksWithElasticParallelismCountingOnlyActiveWorkers(Engine engine) {
        // the controller parks and wakes workers; a parked worker must not hold the others back, nor a woken one
        TrainingReport r = run(engine, ParameterStore.Kind.HOGWILD, 800, b -> b.dispatch(
                        new org.dl4jasync.dispatch.DispatchSpec.Ssp(1))
                .elastic(org.dl4jasync.parallelism.ElasticSpec.Probing.of(4, 2)));
        assertThat(r.stepsAccepted()).isEqualTo(800);
        assertThat(r.clockSpreadMax()).isLessThanOrEqualTo(1L);
        assertThat(r.parallelismTrace()).as("the active worker count changed").hasSizeGreaterThan(2);
        assertThat(r.parallelismTrace().stream()
                        .map(p -> p[2].intValue())
                        .distinct()
                        .count())
                .isGreaterThan(1);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void roundsFollowElasticParallelismWithoutWaitingForParkedWorkers(Engine engine) {
        // K = all: a round waits for every active worker; when the controller parks some, the open round is complete
        // with fewer submissions and a woken contributor closes it (no deadlock), and K-async's K is capped by it
        for (Algorithm a : new Algorithm[] {Algorithm.KASYNC, Algorithm.ABS}) {
            TrainingReport r = run(engine, ParameterStore.Kind.LOCKED, 120, b -> {
                b.elastic(org.dl4jasync.parallelism.ElasticSpec.Probing.of(2, 1));
                return b.dispatch(
                        a == Algorithm.KASYNC
                                ? org.dl4jasync.dispatch.RoundSpec.KAsync.of(
                                        org.dl4jasync.dispatch.RoundSpec.KAsync.ALL)
                                : new org.dl4jasync.dispatch.RoundSpec.Abs(
                                        java.util.OptionalInt.of(2), java.util.OptionalDouble.empty(), 1));
            });
            assertThat(r.rounds()).as(a.name()).isEqualTo(120);
            assertThat(r.parallelismTrace().stream()
                            .map(p -> p[2].intValue())
                            .distinct()
                            .count())
                    .as(a.name())
                    .isGreaterThan(1);
            if (a == Algorithm.KASYNC) { // every round took at most the workers active at its close
                assertThat(r.uploads()).isLessThanOrEqualTo(120L * r.workers() + r.workers());
            }
        }
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("everyEngineAndStore")
    void kasyncAppliesExactlyKSubmissionsPerRound(Engine engine, ParameterStore.Kind store) {
        int k = 4;
        TrainingReport r = run(engine, store, 150, b -> b.dispatch(org.dl4jasync.dispatch.RoundSpec.KAsync.of(k)));
        assertThat(r.rounds()).isEqualTo(150).isEqualTo(r.stepsAccepted());
        // every closed round took exactly K submissions; the round open at the stop holds fewer than K
        assertThat(r.uploads() - k * r.rounds()).isBetween(0L, k - 1L);
        assertThat(r.restarts()).isZero();
        assertThat(r.staleness().histogram().stream().mapToLong(h -> h[1]).sum())
                .isEqualTo(r.uploads());
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("everyEngineAndStore")
    void absAppliesKtSubmissionsPerRoundAndNoneOlderThanSt(Engine engine, ParameterStore.Kind store) {
        TrainingReport r = run(
                engine,
                store,
                150,
                b -> b.dispatch(new org.dl4jasync.dispatch.RoundSpec.Abs(
                        java.util.OptionalInt.of(2), java.util.OptionalDouble.of(8), 1)));
        assertThat(r.rounds()).isEqualTo(150);
        // Σ over closed rounds of their K (from the K trace) is the number of submissions, but for the open round
        List<Number[]> kt = r.kTrace();
        long expected = 0;
        for (int i = 0; i < kt.size(); i++) {
            long from = kt.get(i)[1].longValue();
            long to = i + 1 < kt.size() ? kt.get(i + 1)[1].longValue() : r.rounds();
            expected += (to - from) * kt.get(i)[2].longValue();
        }
        int lastK = kt.get(kt.size() - 1)[2].intValue();
        assertThat(r.uploads() - expected).isBetween(0L, lastK - 1L);
        // S_t = max(1, ⌊8 / K_t⌋) ≤ 4 at every round: no applied submission is staler than the largest S of the run
        long maxS = 0;
        for (Number[] p : r.sTrace()) {
            maxS = Math.max(maxS, p[2].longValue());
            assertThat(p[2].longValue()).isEqualTo(Math.max(1, 8 / kAt(kt, p[1].longValue())));
        }
        assertThat(r.staleness().max()).isLessThanOrEqualTo(maxS);
        assertThat(r.algorithm()).isEqualTo("abs");
    }

    private static long kAt(List<Number[]> kt, long round) {
        long k = kt.get(0)[2].longValue();
        for (Number[] p : kt) {
            if (p[1].longValue() <= round) {
                k = p[2].longValue();
            }
        }
        return k;
    }
}
