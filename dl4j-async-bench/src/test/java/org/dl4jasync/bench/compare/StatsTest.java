package org.dl4jasync.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatsTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void mediansCountNeverAsInfinityAndLeaveNotMeasuredOut() {
        assertThat(Stats.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(Stats.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(Stats.median(new double[] {1, INF, INF}))
                .as("two of three never reached")
                .isInfinite();
        assertThat(Stats.median(new double[] {1, 2, INF})).isEqualTo(2);
        assertThat(Stats.median(new double[] {Double.NaN, 5, 7})).isEqualTo(6);
        assertThat(Stats.median(new double[] {Double.NaN})).isNaN();
    }

    @Test
    void theBootstrapIntervalOfTheMedianIsWithinTheDataAndNarrowsWithMoreSeeds() {
        Stats.Estimate three = Stats.estimate(new double[] {10, 11, 12});
        assertThat(three.median()).isEqualTo(11);
        assertThat(three.low()).isEqualTo(10); // with 3 seeds the interval spans the data
        assertThat(three.high()).isEqualTo(12);
        double[] many = new double[41];
        for (int i = 0; i < many.length; i++) {
            many[i] = 100 + i; // median 120
        }
        Stats.Estimate e = Stats.estimate(many);
        assertThat(e.median()).isEqualTo(120);
        assertThat(e.low()).isBetween(113.0, 119.0);
        assertThat(e.high()).isBetween(121.0, 127.0);
        assertThat(Stats.estimate(many)).as("reproducible").isEqualTo(e);
        assertThat(Stats.estimate(new double[] {5}).low()).isEqualTo(5);
    }

    @Test
    void ratiosArePairedBySeedWithNeverOnEitherSide() {
        double[] r = Stats.ratios(new double[] {50, INF, 30, INF}, new double[] {100, 60, INF, INF});
        assertThat(r[0]).isEqualTo(0.5);
        assertThat(r[1]).as("only the baseline reached it").isInfinite();
        assertThat(r[2]).as("only this one reached it").isZero();
        assertThat(r[3]).as("neither: left out").isNaN();
    }

    @Test
    void theDistributionFreeIntervalNeedsSixValuesAndCoversAtLeast95Percent() {
        assertThat(Stats.medianInterval(new double[] {1, 2, 3, 4, 5}))
                .as("[min, max] covers 93.75%")
                .isNull();
        assertThat(Stats.medianInterval(new double[] {6, 1, 5, 2, 4, 3})).containsExactly(1, 6); // 96.9%
        double[] nine = {9, 8, 7, 6, 5, 4, 3, 2, 1};
        assertThat(Stats.medianInterval(nine))
                .as("n = 9: k = 2 covers 96.1%, k = 3 only 82%")
                .containsExactly(2, 8);
    }

    @Test
    void aVerdictOnlyWhenBothIntervalsExcludeOne() {
        assertThat(Stats.verdict(new double[] {0.5, 0.6, 0.7, 0.55, 0.65, 0.6})).isEqualTo(Stats.Verdict.FASTER);
        assertThat(Stats.verdict(new double[] {1.2, 1.5, 1.3, 1.4, 1.25, 1.35})).isEqualTo(Stats.Verdict.SLOWER);
        assertThat(Stats.verdict(new double[] {0.5, 0.6, 0.7}))
                .as("3 pairs all below 1: a sign test cannot reach 5%")
                .isEqualTo(Stats.Verdict.TOO_FEW);
        assertThat(Stats.verdict(new double[] {0.5, 0.6, 0.7, 0.55, 0.65, 1.1}))
                .as("one seed the other way: [min, max] contains 1")
                .isEqualTo(Stats.Verdict.NO_DIFFERENCE);
        assertThat(Stats.verdict(new double[] {0.5, 1.0, 0.6})).isEqualTo(Stats.Verdict.NO_DIFFERENCE);
        assertThat(Stats.verdict(new double[] {Double.NaN})).isEqualTo(Stats.Verdict.NO_DIFFERENCE);
        assertThat(Stats.Verdict.TOO_FEW.text).startsWith("no difference shown");
    }
}
