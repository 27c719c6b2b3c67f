package org.dl4jasync.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class BreakEvenTest {

    private static Number[] p(double s, long n, int m) {
        return new Number[] {s, n, m};
    }

    @Test
    void neverAboveTheBaselineBreaksEvenAtZero() {
        BreakEven b = BreakEven.of(List.of(p(0, 0, 4), p(10, 100, 2)), 20, 8);
        assertThat(b.seconds()).isEqualTo(0.0);
        assertThat(b.elasticWorkerSeconds()).isCloseTo(4 * 10 + 2 * 10, within(1e-12));
        assertThat(b.baselineWorkerSeconds()).isCloseTo(160, within(1e-12));
    }

    @Test
    void aboveFirstThenBelowBreaksEvenWhereTheAreasMeet() {
        // m = 12 for 10 s (120 worker-s vs 80), then m = 4: 120 + 4·(t − 10) = 8·t at t = 20
        BreakEven b = BreakEven.of(List.of(p(0, 0, 12), p(10, 100, 4)), 40, 8);
        assertThat(b.seconds()).isCloseTo(20.0, within(1e-9));
    }

    @Test
    void notYetBrokenEvenAtTheEndIsNull() {
        BreakEven b = BreakEven.of(List.of(p(0, 0, 12), p(10, 100, 4)), 15, 8);
        assertThat(b.seconds()).isNull();
        // back above after having broken even: only the last crossing counts
        b = BreakEven.of(List.of(p(0, 0, 12), p(10, 100, 4), p(30, 300, 16), p(31, 310, 1)), 60, 8);
        // D(20) = 0, D(30) = −40, D(31) = −32, then slope −7: stays ≤ 0
        assertThat(b.seconds()).isCloseTo(20.0, within(1e-9));
    }
}
