package org.dl4jasync.stepsize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.trainer.Simulator;
import org.junit.jupiter.api.Test;

class MindTheStepSizeTest {

    private static double mean(StalenessDistribution d, double[] f) {
        double m = 0;
        for (int tau = 0; tau <= d.maxTau(); tau++) {
            m += d.probability(tau) * f[tau];
        }
        return m;
    }

    @Test
    void factorsFollowTheMomentumRuleAndAreNormalisedToMeanOne() {
        // a Poisson-like spread around λ = 8; the cap does not bind
        StalenessDistribution d = StalenessDistribution.of(0, 0, 0, 2, 5, 9, 12, 14, 14, 12, 10, 7, 5, 3, 2, 1);
        MindTheStepSize mts = new MindTheStepSize.Builder(8).momentum(0.9).build();
        double[] f = mts.factors(d);
        assertThat(mean(d, f)).isCloseTo(1.0, within(1e-9));
        for (int tau = 3; tau < 15; tau++) {
            if (f[tau] < MindTheStepSize.CAP && f[tau + 1] < MindTheStepSize.CAP) {
                // K^τ / P_λ(τ): ratio of neighbours K·(τ + 1)/λ
                assertThat(f[tau + 1] / f[tau]).isCloseTo(0.9 * (tau + 1) / 8, within(1e-9));
            }
        }
        assertThat(mts.normalized()).isTrue();
        assertThat(mts.describe()).startsWith("mindthestep(K=0.9, lambda=8.0, cap=5.0, max_tau=150");
    }

    @Test
    void capAtFiveStillMeanOneAndDropAbove150() {
        long[] counts = new long[200];
        counts[0] = 1;     // rare fresh updates get a huge raw factor: capped
        counts[10] = 500;
        counts[11] = 500;
        counts[180] = 20;  // dropped
        StalenessDistribution d = StalenessDistribution.of(counts);
        double[] f = new MindTheStepSize.Builder(10).momentum(0.5).build().factors(d);
        assertThat(f[0]).isEqualTo(MindTheStepSize.CAP);
        assertThat(f[180]).isZero();
        assertThat(f[151]).isZero();
        for (double x : f) {
            assertThat(x).isBetween(0.0, MindTheStepSize.CAP);
        }
        assertThat(mean(d, f)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void zeroMomentumKeepsOnlyFreshUpdatesAndMeasuredLambdaWorks() {
        StalenessDistribution d = StalenessDistribution.of(10, 30, 40, 20);
        double[] f = new MindTheStepSize.Builder(4).momentum(0).build().factors(d);
        assertThat(f[0]).isEqualTo(MindTheStepSize.CAP); // mean 1 needs 10 at τ = 0: capped at 5
        assertThat(f[1]).isZero();
        double[] g = new MindTheStepSize.Builder(4).measuredLambda().build().factors(d);
        assertThat(mean(d, g)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void reportCountsZeroScaledUpdates() {
        int m = 256; // plain async: τ ≈ 255 > 150, every such update is dropped
        TrainingReport r = new Simulator.Builder(m, StepTimes.parse("exp:1", m)).seed(1).maxSteps(20_000)
                .stepSize(new MindTheStepSize.Builder(m).build()).build().run();
        assertThat(r.stepScale().zeroScaled()).isGreaterThan(0);
        assertThat(r.stepScale().min()).isZero();
        assertThat(r.stepScale().max()).isLessThanOrEqualTo(MindTheStepSize.CAP);
    }

    @Test
    void builderRejectsInvalidSettings() {
        assertThatThrownBy(() -> new MindTheStepSize.Builder(4).momentum(1).build())
                .hasMessageContaining("momentum K must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> new MindTheStepSize.Builder(4).lambda(0).build())
                .hasMessageContaining("lambda must be > 0");
        assertThatThrownBy(() -> new NormalizedStepSize.Builder(new TailStepSize.Builder(4).build(), 4))
                .hasMessageContaining("already adapts");
    }
}
