package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.simulation.StepTimeDistribution;
import org.dl4jasync.simulation.StepTimes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SimulatorTest {

    private static TrainingReport run(int m, String stepTime, long seed, long steps) {
        return new Simulator.Builder(m, StepTimes.parse(stepTime, m))
                .seed(seed)
                .maxSteps(steps)
                .build()
                .run();
    }

    private static String withoutWallTime(TrainingReport r) {
        return r.toJson().replaceAll("\"wall_seconds\" : [^,]+,", "");
    }

    @Test
    void sameSeedGivesAnIdenticalReportAndAnotherSeedDoesNot() {
        String a = withoutWallTime(run(16, "exp:0.01", 7, 20_000));
        String b = withoutWallTime(run(16, "exp:0.01", 7, 20_000));
        String c = withoutWallTime(run(16, "exp:0.01", 8, 20_000));
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 64})
    void constantStepTimesGiveStalenessMMinus1AfterWarmUp(int m) {
        AtomicLong afterWarmUp = new AtomicLong();
        AtomicLong wrong = new AtomicLong();
        AtomicLong applied = new AtomicLong();
        new Simulator.Builder(m, StepTimes.parse("constant:0.5", m))
                .maxSteps(50L * m)
                .stepListener((w, ticket, accepted, tau, scale, loss) -> {
                    if (accepted && applied.incrementAndGet() > m) { // the first m updates are the warm-up
                        afterWarmUp.incrementAndGet();
                        if (tau != m - 1) {
                            wrong.incrementAndGet();
                        }
                    }
                })
                .build()
                .run();
        assertThat(afterWarmUp.get()).isEqualTo(49L * m);
        assertThat(wrong.get()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 32, 128})
    void exponentialStepTimesGiveMeanStalenessMMinus1(int m) {
        TrainingReport r = run(m, "exp:1", 3, 200_000);
        assertThat(r.staleness().mean()).isCloseTo(m - 1.0, within(0.05 * (m - 1)));
        assertThat(r.stepsAccepted()).isEqualTo(200_000);
        // m workers always busy: virtual throughput m / E[step time]
        assertThat(r.stepsPerSecond()).isCloseTo(m, within(0.05 * m));
        // ... except at the very end, when the last permits are taken and the others wait (at most a step each)
        assertThat(r.workerSeconds())
                .isLessThanOrEqualTo(m * r.virtualSeconds())
                .isGreaterThan(m * r.virtualSeconds() - 20.0 * m);
    }

    @Test
    void scalesTo1024Workers() {
        TrainingReport r = run(1024, "shifted-exp:0.5,0.5", 1, 50_000);
        assertThat(r.workers()).isEqualTo(1024);
        assertThat(r.staleness().mean()).isCloseTo(1023, within(0.1 * 1023));
    }

    @Test
    void bimodalStepTimesGiveABimodalStalenessHistogram() {
        // a quarter of the workers is 3× slower: their updates are ~3× staler
        TrainingReport r = run(16, "bimodal:1,0.25,3", 5, 50_000);
        long fastMode = 0;
        long slowMode = 0;
        for (long[] e : r.staleness().histogram()) {
            if (e[0] < 20) {
                fastMode += e[1];
            } else {
                slowMode += e[1];
            }
        }
        assertThat(fastMode).isPositive();
        assertThat(slowMode).isPositive();
        assertThat(r.staleness().max())
                .isGreaterThan(2 * Math.round(r.staleness().mean()));
    }

    @Test
    void casContentionUnderTheLeashedStoreDropsAndCountsUpdates() {
        TrainingReport bounded = new Simulator.Builder(8, StepTimes.parse("exp:1", 8))
                .applyTime(StepTimes.parse("constant:0.2", 8))
                .store(ParameterStore.Kind.LEASHED)
                .persistence(0)
                .maxSteps(5_000)
                .build()
                .run();
        assertThat(bounded.failedCas()).isPositive();
        assertThat(bounded.stepsDropped()).isEqualTo(bounded.failedCas()); // persistence 0: every failure drops
        assertThat(bounded.acceptanceRate()).isLessThan(1.0);

        TrainingReport unbounded = new Simulator.Builder(8, StepTimes.parse("exp:1", 8))
                .applyTime(StepTimes.parse("constant:0.2", 8))
                .store(ParameterStore.Kind.LEASHED)
                .maxSteps(5_000)
                .build()
                .run();
        assertThat(unbounded.stepsDropped()).isZero();
        assertThat(unbounded.failedCas()).isPositive();
        assertThat(unbounded.acceptanceRate()).isEqualTo(1.0);
    }

    @Test
    void lockedAppliesQueueForTheLock() {
        // apply time 1 with step time 1: the lock is the bottleneck, throughput ≤ 1 update per virtual second
        TrainingReport r = new Simulator.Builder(8, StepTimes.parse("constant:1", 8))
                .applyTime(StepTimes.parse("constant:1", 8))
                .store(ParameterStore.Kind.LOCKED)
                .maxSteps(1_000)
                .build()
                .run();
        assertThat(r.stepsPerSecond()).isLessThanOrEqualTo(1.0 + 1e-9);
    }

    @Test
    void stopsAtTheVirtualTimeLimitAndTheEpochs() {
        TrainingReport byTime = new Simulator.Builder(4, StepTimes.parse("constant:1", 4))
                .virtualTimeLimit(10.5)
                .build()
                .run();
        assertThat(byTime.stopReason().key()).isEqualTo("time_limit");
        assertThat(byTime.virtualSeconds()).isEqualTo(10.5);
        assertThat(byTime.stepsAccepted()).isEqualTo(40);

        TrainingReport byEpochs = new Simulator.Builder(4, StepTimes.parse("exp:1", 4))
                .epochs(3, 100)
                .build()
                .run();
        assertThat(byEpochs.stopReason().key()).isEqualTo("epochs");
        assertThat(byEpochs.stepsAccepted()).isEqualTo(300);
        assertThat(byEpochs.epochsCompleted()).isEqualTo(3);
    }

    @Test
    void stepTimeSpecificationsAreValidated() {
        assertThatThrownBy(() -> StepTimes.parse("gamma:1", 4)).hasMessageContaining("unknown kind 'gamma'");
        assertThatThrownBy(() -> StepTimes.parse("exp:-1", 4)).hasMessageContaining("needs a positive time");
        assertThatThrownBy(() -> StepTimes.parse("uniform:3,1", 4)).hasMessageContaining("0 <= A <= B");
        assertThatThrownBy(() -> StepTimes.parse("bimodal:1,2,3", 4)).hasMessageContaining("FRACTION in [0, 1]");
        assertThatThrownBy(() -> StepTimes.parse("constant:1,2", 4)).hasMessageContaining("expected 1 number");
        assertThatThrownBy(() -> new Simulator.Builder(4, StepTimes.parse("exp:1", 4)).build())
                .hasMessageContaining("needs a stop condition");
        assertThat(List.of(
                        "constant:1", "uniform:1,2", "exp:1", "shifted-exp:1,1", "lognormal:0,0.5", "bimodal:1,0.5,2"))
                .allSatisfy(s -> assertThat(StepTimes.parse(s, 4).mean(0)).isPositive());
    }

    @Test
    void lognormalMeanMatchesItsFormula() {
        StepTimeDistribution d = StepTimes.parse("lognormal:0,0.5", 1);
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        double sum = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            sum += d.sample(0, r);
        }
        assertThat(sum / n).isCloseTo(Math.exp(0.125), within(0.01));
    }
}
