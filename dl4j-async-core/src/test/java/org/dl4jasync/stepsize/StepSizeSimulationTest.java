package org.dl4jasync.stepsize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.function.IntFunction;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.trainer.Simulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Step-size policies on the staleness of simulated asynchronous runs (no model: τ only). */
class StepSizeSimulationTest {
    private static final long STEPS = 60_000;

    /** Mean, variance and count of the factors applied after {@code skip} applied updates. */
    static final class Moments {
        long n;
        double sum;
        double sumSq;

        double mean() {
            return sum / n;
        }

        double variance() {
            double m = mean();
            return sumSq / n - m * m;
        }
    }

    private static Moments run(int m, String stepTime, StepSizePolicy policy, long skip, long seed) {
        Moments mo = new Moments();
        long[] applied = {0};
        TrainingReport r = new Simulator.Builder(m, StepTimes.parse(stepTime, m))
                .seed(seed)
                .maxSteps(STEPS)
                .stepSize(policy)
                .stepListener((w, t, accepted, tau, scale, loss) -> {
                    if (accepted && applied[0]++ >= skip) {
                        mo.n++;
                        mo.sum += scale;
                        mo.sumSq += scale * scale;
                    }
                })
                .build()
                .run();
        assertThat(r.stepScale().policy()).isEqualTo(policy.describe());
        assertThat(r.stepsAccepted()).isEqualTo(STEPS);
        return mo;
    }

    @ParameterizedTest
    @ValueSource(strings = {"exp:1", "bimodal:1,0.25,4", "lognormal:0,1"})
    void tailPreservesTheMeanStepAfterWarmUp(String stepTime) {
        int m = 32;
        TailStepSize tail = new TailStepSize.Builder(m).build();
        Moments mo = run(m, stepTime, tail, tail.window().warmup(), 3);
        assertThat(mo.n).isEqualTo(STEPS - tail.window().warmup());
        assertThat(mo.mean()).as("mean factor, %s", stepTime).isCloseTo(1.0, within(0.01));
        assertThat(mo.variance()).as("the factors do vary").isGreaterThan(0.1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"exp:1", "lognormal:0,1"})
    void frozenTailIsExactOnItsEstimateAndCloseOnAStationaryDistribution(String stepTime) {
        int m = 32;
        long warmup = 60_000; // 20,000 counted: the estimate's own noise in the mean is about 2/√(12·20,000) = 0.004
        TailStepSize tail = new TailStepSize.Builder(m).warmup(warmup).frozen().build();
        Moments mo = new Moments();
        long[] applied = {0};
        new Simulator.Builder(m, StepTimes.parse(stepTime, m))
                .seed(5)
                .maxSteps(warmup + 100_000)
                .stepSize(tail)
                .stepListener((w, t, accepted, tau, scale, loss) -> {
                    if (accepted && applied[0]++ >= warmup) {
                        mo.n++;
                        mo.sum += scale;
                    }
                })
                .build()
                .run();
        assertThat(mo.mean()).isCloseTo(1.0, within(0.02));
        // exactly 1 on the distribution it was estimated from
        StalenessDistribution d = tail.window().snapshot();
        double[] f = tail.factors(d);
        double onEstimate = 0;
        for (int tau = 0; tau <= d.maxTau(); tau++) {
            onEstimate += d.probability(tau) * f[tau];
        }
        assertThat(onEstimate).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void tailVarianceApproachesAmplitudeSquaredOverThreeForAContinuousLikeDistribution() {
        // m = 128 with exp step times: τ spreads over hundreds of values (Lemma C.4.7 (iii): Var = (A·η̄)²/3)
        int m = 128;
        for (double a : new double[] {1.0, 0.5}) {
            TailStepSize tail = new TailStepSize.Builder(m).amplitude(a).build();
            Moments mo = run(m, "exp:1", tail, tail.window().warmup(), 7);
            assertThat(mo.mean()).isCloseTo(1.0, within(0.01));
            assertThat(mo.variance()).as("A = %s", a).isCloseTo(a * a / 3, within(0.05 * a * a / 3));
        }
    }

    @Test
    void inverseAndFleetShrinkTheMeanStepAsWorkersGrowTailDoesNot() {
        int[] ms = {4, 16, 64};
        double[][] means = new double[3][ms.length];
        for (int i = 0; i < ms.length; i++) {
            int m = ms[i];
            TailStepSize tail = new TailStepSize.Builder(m).build();
            means[0][i] = run(m, "exp:1", InverseStepSize.INSTANCE, 0, 1).mean();
            means[1][i] = run(m, "exp:1", new FleetStepSize(m), 0, 1).mean();
            means[2][i] = run(m, "exp:1", tail, tail.window().warmup(), 1).mean();
        }
        for (int i = 1; i < ms.length; i++) {
            assertThat(means[0][i]).as("inverse at m=%d", ms[i]).isLessThan(means[0][i - 1]);
            assertThat(means[1][i]).as("fleet at m=%d", ms[i]).isLessThan(means[1][i - 1]);
        }
        assertThat(means[0][2]).isLessThan(0.1); // 1/(τ+1) with τ ≈ 63
        assertThat(means[1][2]).isLessThan(0.2);
        for (int i = 0; i < ms.length; i++) {
            assertThat(means[2][i]).as("tail at m=%d", ms[i]).isCloseTo(1.0, within(0.01));
        }
    }

    @Test
    void normalisedRulesHaveMeanOneAndTheReportShowsTheCurve() {
        int m = 16;
        IntFunction<StepSizePolicy> inverse = w -> new NormalizedStepSize.Builder(InverseStepSize.INSTANCE, w).build();
        StepSizePolicy p = inverse.apply(m);
        Moments mo = run(m, "exp:1", p, ((AdaptiveStepSize) p).window().warmup(), 2);
        assertThat(mo.mean()).isCloseTo(1.0, within(0.02));
        assertThat(p.normalized()).isTrue();

        TrainingReport r = new Simulator.Builder(m, StepTimes.parse("exp:1", m))
                .seed(2)
                .maxSteps(5000)
                .stepSize(new TailStepSize.Builder(m).build())
                .build()
                .run();
        assertThat(r.stepScale().normalized()).isTrue(); // TAIL-τ: by construction
        assertThat(r.stepScale().policy()).startsWith("tail(A=1.0, phi=identity, warmup 240");
        assertThat(r.stepScale().byStaleness()).isNotEmpty();
        double prev = Double.POSITIVE_INFINITY;
        long total = 0;
        for (double[] point : r.stepScale().byStaleness()) {
            total += r.staleness().histogram().stream()
                    .filter(h -> h[0] == (long) point[0])
                    .mapToLong(h -> h[1])
                    .sum();
            assertThat(point[1]).isBetween(0.0, 2.0);
            prev = point[1];
        }
        assertThat(total).isEqualTo(5000);
        assertThat(prev).isLessThan(0.5); // the stalest updates are damped
    }
}
