package org.dl4jasync.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** AdaSync's K_t = ⌈K0·√(L0/L_t)⌉, capped at m: K grows while the loss falls; ABS's S_t = max(1, ⌊c/K_t⌋). */
class AdaSyncScheduleTest {

    @Test
    void kStaysAtK0UntilL0IsKnownThenFollowsTheFormula() {
        AdaSyncSchedule s = new AdaSyncSchedule(2, 16);
        for (int i = 0; i < 15; i++) {
            s.submitted(2.0);
            s.update();
            assertThat(s.k()).isEqualTo(2);
        }
        s.submitted(2.0); // the 16th: L0 = 2
        s.update();
        assertThat(s.initialLoss()).isEqualTo(2.0);
        assertThat(s.k()).isEqualTo(2);
        // L_t → 0.5: K → ⌈2·√4⌉ = 4
        for (int i = 0; i < 2000; i++) {
            s.submitted(0.5);
        }
        s.update();
        assertThat(s.smoothedLoss()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(s.k()).isEqualTo(4);
    }

    @Test
    void kNeverDecreasesWhileTheLossFallsAndIsCappedAtM() {
        AdaSyncSchedule s = new AdaSyncSchedule(3, 12);
        int last = 0;
        double loss = 2.3;
        for (int i = 0; i < 20_000; i++) {
            s.submitted(loss);
            loss *= 0.9997; // falling
            s.update();
            assertThat(s.k()).isGreaterThanOrEqualTo(last).isBetween(1, 12);
            last = s.k();
        }
        assertThat(last).isEqualTo(12);
    }

    @Test
    void absThresholdFallsAsKGrowsAndNeverBelowOne() {
        AbsPolicy p = new AbsPolicy.Builder(16).k0(2).c(16).build();
        assertThat(p.maxRoundsBehind()).isEqualTo(8); // ⌊16/2⌋
        double loss = 2.3;
        long lastS = Long.MAX_VALUE;
        for (int i = 0; i < 40_000; i++) {
            p.submitted(loss);
            loss *= 0.9997;
            p.roundClosed();
            assertThat(p.maxRoundsBehind()).isEqualTo(Math.max(1, 16 / p.k())).isLessThanOrEqualTo(lastS);
            lastS = p.maxRoundsBehind();
        }
        assertThat(p.k()).isEqualTo(16);
        assertThat(p.maxRoundsBehind()).isEqualTo(1);
        assertThat(new AbsPolicy.Builder(8).c(Double.POSITIVE_INFINITY).build().maxRoundsBehind())
                .isEqualTo(Long.MAX_VALUE);
    }
}
