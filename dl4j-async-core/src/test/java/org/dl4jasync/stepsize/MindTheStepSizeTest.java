package org.dl4jasync.stepsize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.special.Gamma;
import org.apache.commons.math3.util.CombinatoricsUtils;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.stepsize.MindTheStepSize.Form;
import org.dl4jasync.testing.TinyNets;
import org.dl4jasync.trainer.AsyncTrainer;
import org.dl4jasync.trainer.Simulator;
import org.junit.jupiter.api.Test;

/** MindTheStep as thesis Corollary A.4.7 (eq. A.18) prints it, against values computed another way. */
class MindTheStepSizeTest {

    private static double mean(StalenessDistribution d, double[] f) {
        double m = 0;
        for (int tau = 0; tau <= d.maxTau(); tau++) {
            m += d.probability(tau) * f[tau];
        }
        return m;
    }

    /**
     * log(c(τ)·λ^(−τ)·τ!) with c from Commons Math's regularised upper incomplete gamma Q(τ, λ) = Γ(τ, λ)/Γ(τ), or
     * −∞ where c ≤ 0.
     */
    private static double logRawByGammaQ(int tau, double k, double eta, double lambda) {
        double c = tau == 0 ? 1 : 1 - (k / eta) * Gamma.regularizedGammaQ(tau, lambda);
        return c <= 0
                ? Double.NEGATIVE_INFINITY
                : Math.log(c) + CombinatoricsUtils.factorialLog(tau) - tau * Math.log(lambda);
    }

    @Test
    void printedFormulaMatchesHandValuesAtTheThesisSettings() {
        // K = 1, η = 0.01, λ = 16; c(τ)·τ!/16^τ for τ = 0…8, by hand (python, Σ_{j<τ} 16^j/j! summed directly)
        double[] hand = {
            1.0,
            6.249929665516e-02,
            7.811005392211e-03,
            1.462453476514e-03,
            3.627999897604e-04,
            1.098582725901e-04,
            3.697678316933e-05,
            1.125392874262e-05,
            2.056353449538e-10
        };
        double[] log = MindTheStepSize.logRaw(30, 1, 0.01, 16, Form.PRINTED);
        for (int tau = 0; tau < hand.length; tau++) {
            assertThat(Math.exp(log[tau])).as("tau %d", tau).isCloseTo(hand[tau], within(hand[tau] * 1e-6));
        }
        // c(τ) ≤ 0 from τ = 9 at λ = 16 and from τ = 21 at λ = 32: factor 0 (dropped), never negative
        for (int tau = 9; tau < 30; tau++) {
            assertThat(log[tau]).as("tau %d", tau).isEqualTo(Double.NEGATIVE_INFINITY);
        }
        double[] log32 = MindTheStepSize.logRaw(40, 1, 0.01, 32, Form.PRINTED);
        assertThat(log32[20]).isFinite();
        assertThat(log32[21]).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void logSpaceSumAgreesWithTheIncompleteGammaUpToMaxTau() {
        for (double lambda : new double[] {3, 16, 64, 150}) {
            for (double k : new double[] {1e-9, 1e-4, 0.5}) {
                double[] log = MindTheStepSize.logRaw(152, k, 0.01, lambda, Form.PRINTED);
                for (int tau = 0; tau <= MindTheStepSize.MAX_TAU; tau++) {
                    double expected = logRawByGammaQ(tau, k, 0.01, lambda);
                    if (expected == Double.NEGATIVE_INFINITY) {
                        assertThat(log[tau])
                                .as("lambda %s K %s tau %d", lambda, k, tau)
                                .isEqualTo(expected);
                    } else {
                        assertThat(log[tau])
                                .as("lambda %s K %s tau %d", lambda, k, tau)
                                .isCloseTo(expected, within(1e-6));
                    }
                }
                assertThat(log[151]).isEqualTo(Double.NEGATIVE_INFINITY);
            }
        }
    }

    @Test
    void rederivedFormHasNoOneOverEToTheLambda() {
        // K/η = 0.1, λ = 4: c(τ) = 1 − 0.1·Σ_{j<τ} 4^j/j! = 1, 0.9, 0.5, then < 0
        double[] log = MindTheStepSize.logRaw(10, 0.001, 0.01, 4, Form.REDERIVED);
        assertThat(Math.exp(log[0])).isCloseTo(1.0, within(1e-12));
        assertThat(Math.exp(log[1])).isCloseTo(0.9 / 4, within(1e-12));
        assertThat(Math.exp(log[2])).isCloseTo(0.5 * 2 / 16, within(1e-12));
        for (int tau = 3; tau < 10; tau++) {
            assertThat(log[tau]).isEqualTo(Double.NEGATIVE_INFINITY);
        }
        // with the thesis's K = 1, η = 0.01 it drops every stale update
        double[] thesis = MindTheStepSize.logRaw(40, 1, 0.01, 32, Form.REDERIVED);
        assertThat(thesis[0]).isZero();
        for (int tau = 1; tau < 40; tau++) {
            assertThat(thesis[tau]).isEqualTo(Double.NEGATIVE_INFINITY);
        }
    }

    @Test
    void factorsAreNormalisedToMeanOneOverTheObservedStalenessIncludingDroppedUpdates() {
        MindTheStepSize mts = new MindTheStepSize.Builder(16, 0.01).build(); // K = 1, λ = 16
        StalenessDistribution d = StalenessDistribution.of(0, 100, 100);
        double[] f = mts.factors(d);
        assertThat(mean(d, f)).isCloseTo(1.0, within(1e-9));
        // shape: f1/f2 = raw(1)/raw(2) by hand; the cap does not bind (f1 ≈ 1.78)
        assertThat(f[1] / f[2]).isCloseTo(6.249929665516e-02 / 7.811005392211e-03, within(1e-6));
        assertThat(f[1]).isLessThan(MindTheStepSize.CAP);
        // a third of the updates at τ = 12 (c < 0): factor 0, and the kept ones carry the mean (× 1.5)
        StalenessDistribution withDropped = StalenessDistribution.of(0, 100, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100);
        double[] g = mts.factors(withDropped);
        assertThat(g[12]).isZero();
        assertThat(mean(withDropped, g)).isCloseTo(1.0, within(1e-9));
        assertThat(g[1]).isCloseTo(1.5 * f[1], within(1e-9));
        assertThat(mts.normalized()).isTrue();
        assertThat(mts.describe())
                .startsWith("mindthestep(printed, K=1.0, eta=0.01, lambda=16.0, cap=5.0, max_tau=150");
    }

    @Test
    void capAtFiveStillMeanOne() {
        // rare fresh updates get a raw factor 16× that of τ = 1: the mean-1 constant would give them about 14
        StalenessDistribution d = StalenessDistribution.of(1, 1000);
        double[] f = new MindTheStepSize.Builder(16, 0.01).build().factors(d);
        assertThat(f[0]).isEqualTo(MindTheStepSize.CAP);
        assertThat(mean(d, f)).isCloseTo(1.0, within(1e-9));
        for (double x : f) {
            assertThat(x).isBetween(0.0, MindTheStepSize.CAP);
        }
        // kept mass below 1/5: no constant reaches mean 1; every kept factor is 5
        StalenessDistribution mostlyDropped = StalenessDistribution.of(0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 90);
        double[] g = new MindTheStepSize.Builder(16, 0.01).build().factors(mostlyDropped);
        assertThat(g[1]).isEqualTo(MindTheStepSize.CAP);
        assertThat(g[12]).isZero();
    }

    @Test
    void stalenessAbove150IsDroppedEvenWhenNeverObserved() {
        for (int m : new int[] {1, 4}) { // m = 1: the window's default bound (128) is raised above 150
            // K = 0: c ≡ 1, so τ!/λ^τ grows and every τ up to 150 gets the cap; 151 and beyond get 0
            MindTheStepSize mts =
                    new MindTheStepSize.Builder(m, 0.01).momentum(0).warmup(3).build();
            for (int i = 0; i < 3; i++) {
                mts.observe(1);
            }
            assertThat(mts.currentFactors()).isNotNull();
            assertThat(mts.factor(150)).isEqualTo(MindTheStepSize.CAP);
            assertThat(mts.factor(151)).isZero();
            assertThat(mts.factor(10_000)).isZero();
        }
    }

    @Test
    void measuredLambdaIsTheMeanObservedStaleness() {
        StalenessDistribution d = StalenessDistribution.of(10, 30, 40, 20); // mean 1.7
        double[] g = new MindTheStepSize.Builder(4, 0.01)
                .momentum(1e-4)
                .measuredLambda()
                .build()
                .factors(d);
        double[] h = new MindTheStepSize.Builder(4, 0.01)
                .momentum(1e-4)
                .lambda(1.7)
                .build()
                .factors(d);
        assertThat(g).containsExactly(h, within(1e-9));
        assertThat(mean(d, g)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void reportCountsZeroScaledUpdates() {
        int m = 256; // plain async: τ ≈ 255 > 150, every such update is dropped
        TrainingReport r = new Simulator.Builder(m, StepTimes.parse("exp:1", m))
                .seed(1)
                .maxSteps(20_000)
                .stepSize(new MindTheStepSize.Builder(m, 0.01).build())
                .build()
                .run();
        assertThat(r.stepScale().zeroScaled()).isGreaterThan(0);
        assertThat(r.stepScale().min()).isZero();
        assertThat(r.stepScale().max()).isLessThanOrEqualTo(MindTheStepSize.CAP);
    }

    @Test
    void etaDefaultsToTheModelsLearningRateAndIsRequiredWithoutAModel() throws Exception {
        // TinyNets: Nesterovs(0.1, 0.5)
        TrainingReport r = new AsyncTrainer.Builder(TinyNets.net(1))
                .workers(2)
                .maxSteps(50)
                .stepSize(new StepSizeSpec.MindTheStep())
                .build()
                .fit(TinyNets.iterator(TinyNets.blobs(10, 8, 1)), Integer.MAX_VALUE);
        assertThat(r.stepScale().policy()).contains("eta=0.1,");
        assertThatThrownBy(() -> new Simulator.Builder(4, StepTimes.parse("exp:1", 4))
                        .maxSteps(10)
                        .stepSize(new StepSizeSpec.MindTheStep())
                        .build()
                        .run())
                .hasMessageContaining("needs the base learning rate eta")
                .hasMessageContaining("--mts-eta");
        TrainingReport given = new Simulator.Builder(4, StepTimes.parse("exp:1", 4))
                .maxSteps(10)
                .stepSize(new StepSizeSpec.MindTheStep(
                        java.util.OptionalDouble.empty(),
                        java.util.OptionalDouble.of(0.02),
                        Form.REDERIVED,
                        false,
                        java.util.OptionalDouble.empty(),
                        StepSizeSpec.Window.DEFAULT))
                .build()
                .run();
        assertThat(given.stepScale().policy()).startsWith("mindthestep(rederived, K=1.0, eta=0.02,");
    }

    @Test
    void builderRejectsInvalidSettings() {
        assertThatThrownBy(
                        () -> new MindTheStepSize.Builder(4, 0.01).momentum(-1).build())
                .hasMessageContaining("momentum K must be >= 0, got -1.0");
        assertThatThrownBy(() -> new MindTheStepSize.Builder(4, 0).build())
                .hasMessageContaining("eta (the base learning rate in c(tau)) must be > 0, got 0.0");
        assertThatThrownBy(() -> new MindTheStepSize.Builder(4, 0.01).lambda(0).build())
                .hasMessageContaining("lambda must be > 0");
        assertThatThrownBy(() -> new MindTheStepSize.Builder(4, 0.01).maxStaleness(150))
                .hasMessageContaining("needs maxStaleness > 150");
        assertThatThrownBy(() -> new NormalizedStepSize.Builder(new TailStepSize.Builder(4).build(), 4))
                .hasMessageContaining("already adapts");
    }
}
