package org.dl4jasync.stepsize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** TAIL-τ's factor table on given distributions: range, order, exact mean preservation, clamping, schedule. */
class TailStepSizeTest {

    static Stream<Arguments> cases() {
        long[][] dists = {
            {5}, // one atom
            {1, 1},
            {10, 0, 0, 3, 7, 0, 1}, // gaps
            {0, 0, 40, 100, 250, 100, 40, 3}, // peaked, no τ = 0
            {1000, 1, 1, 1, 1, 1, 1, 1, 1, 500},
        };
        Stream.Builder<Arguments> b = Stream.builder();
        for (long[] d : dists) {
            for (Phi phi : Phi.values()) {
                for (double a : new double[] {0, 0.3, 1}) {
                    b.add(Arguments.of(d, phi, a));
                }
            }
        }
        return b.build();
    }

    private static double[] factors(long[] counts, Phi phi, double a) {
        TailStepSize tail = new TailStepSize.Builder(4).amplitude(a).phi(phi).build();
        return tail.factors(StalenessDistribution.of(counts));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void factorsAreNonIncreasingWithinTheAmplitudeAndExactlyMeanPreserving(long[] counts, Phi phi, double a) {
        StalenessDistribution d = StalenessDistribution.of(counts);
        double[] f = factors(counts, phi, a);
        assertThat(f).hasSize(d.maxTau() + 2);
        double mean = 0;
        for (int tau = 0; tau < f.length; tau++) {
            assertThat(f[tau]).isBetween(1 - a - 1e-12, 1 + a + 1e-12);
            if (tau > 0) {
                assertThat(f[tau]).as("priority-preserving at τ=%d", tau).isLessThanOrEqualTo(f[tau - 1] + 1e-12);
            }
            mean += d.probability(tau) * f[tau];
        }
        assertThat(mean).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void identityPhiIsTheMidPointConvention() {
        long[] counts = {2, 0, 5, 3};
        double[] f = factors(counts, Phi.IDENTITY, 0.8);
        double[] midF = {0.1, 0.2, 0.45, 0.85, 1.0}; // P[<τ] + ½P[=τ]; τ = 4 lies beyond every observation
        for (int tau = 0; tau < midF.length; tau++) {
            assertThat(f[tau]).isCloseTo(1 + 0.8 * (1 - 2 * midF[tau]), within(1e-12));
        }
    }

    @Test
    void everyPhiIsValid() {
        for (Phi phi : Phi.values()) {
            assertThat(phi.phi(0)).isEqualTo(0.0);
            assertThat(phi.phi(1)).isEqualTo(1.0);
            assertThat(phi.integral(0)).isEqualTo(0.0);
            assertThat(phi.integral(1)).isCloseTo(0.5, within(1e-15));
            double prev = 0;
            for (int i = 0; i <= 1000; i++) {
                double u = i / 1000.0;
                assertThat(phi.phi(u)).isGreaterThanOrEqualTo(prev);
                prev = phi.phi(u);
            }
        }
        assertThat(Phi.parse("SmoothStep")).isEqualTo(Phi.SMOOTHSTEP);
        assertThatThrownBy(() -> Phi.parse("cubic")).hasMessageContaining("identity, smoothstep or step");
    }

    @Test
    void factorOneDuringWarmUpThenTheTableAndClampingBeyondIt() {
        TailStepSize tail =
                new TailStepSize.Builder(2).warmup(30).frozen().maxStaleness(8).build();
        for (int i = 0; i < 29; i++) {
            tail.observe(i % 2); // τ ∈ {0, 1}
            assertThat(tail.factor(0)).isEqualTo(1.0);
            assertThat(tail.factor(5)).isEqualTo(1.0);
        }
        tail.observe(1);
        assertThat(tail.currentFactors()).isNotNull();
        // the last third (observations 20…29) is counted: five 0s, five 1s
        assertThat(tail.factor(0)).isCloseTo(1.5, within(1e-12));
        assertThat(tail.factor(1)).isCloseTo(0.5, within(1e-12));
        assertThat(tail.factor(2)).isCloseTo(0.0, within(1e-12)); // beyond every observation: 1 − A
        assertThat(tail.factor(1_000_000)).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void frozenKeepsTheWarmUpEstimateAndTheDefaultFollowsAShift() {
        TailStepSize frozen = new TailStepSize.Builder(1).warmup(9).frozen().build();
        TailStepSize sliding = new TailStepSize.Builder(1)
                .warmup(9)
                .window(100)
                .refreshEvery(10)
                .build();
        for (int i = 0; i < 9; i++) {
            frozen.observe(3);
            sliding.observe(3);
        }
        for (int i = 0; i < 300; i++) { // the distribution moves to τ = 10
            frozen.observe(10);
            sliding.observe(10);
        }
        assertThat(frozen.factor(10)).isCloseTo(0.0, within(1e-12)); // τ 10 never seen in the warm-up: 1 − A
        assertThat(sliding.factor(10)).isCloseTo(1.0, within(1e-12)); // only τ 10 in the window: F_mid = ½
        assertThat(sliding.window().describe()).isEqualTo("warmup 9, window 100, every 10");
    }

    @Test
    void builderRejectsInvalidSettings() {
        assertThatThrownBy(() -> new TailStepSize.Builder(4).amplitude(1.5).build())
                .hasMessageContaining("amplitude must be in [0, 1], got 1.5");
        assertThatThrownBy(
                        () -> new TailStepSize.Builder(4).amplitude(Double.NaN).build())
                .hasMessageContaining("amplitude");
        assertThatThrownBy(() -> new TailStepSize.Builder(4).warmup(0).build())
                .hasMessageContaining("warm-up must be >= 1");
        assertThatThrownBy(() -> new TailStepSize.Builder(4).window(0).build())
                .hasMessageContaining("window must be >= 1");
        assertThatThrownBy(() -> new TailStepSize.Builder(4).refreshEvery(0).build())
                .hasMessageContaining("refresh period must be >= 1");
        assertThatThrownBy(() -> new TailStepSize.Builder(0)).hasMessageContaining("workers must be >= 1");
    }
}
