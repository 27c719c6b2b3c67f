package org.dl4jasync.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WindowProbeTest {

    @Test
    void doublingLaddersEndAtTheirLastValue() {
        assertThat(WindowProbe.doubling(1, 64)).containsExactly(1, 2, 4, 8, 16, 32, 64);
        assertThat(WindowProbe.doubling(1, 48)).containsExactly(1, 2, 4, 8, 16, 32, 48);
        assertThat(WindowProbe.doubling(2, 2)).containsExactly(2);
        assertThat(WindowProbe.doubling(1, 1)).containsExactly(1);
        assertThatThrownBy(() -> WindowProbe.doubling(0, 4)).hasMessageContaining("1 <= first <= last");
        assertThatThrownBy(() -> WindowProbe.doubling(4, 2)).hasMessageContaining("1 <= first <= last");
    }

    @Test
    void improvedSaysWhetherTheCandidateJustEndedBecameTheBest() {
        double[] loss = {10};
        double[] time = {0};
        WindowProbe p = new WindowProbe(() -> loss[0], () -> time[0]);
        p.start(new int[] {1, 2, 3}, 1);
        time[0] = 1;
        loss[0] = 9; // rate −1
        assertThat(p.next()).isTrue();
        assertThat(p.improved()).isTrue();
        time[0] = 2;
        loss[0] = 8.5; // rate −0.5: slower
        assertThat(p.next()).isTrue();
        assertThat(p.improved()).isFalse();
        time[0] = 3;
        loss[0] = 6.5; // rate −2: fastest
        assertThat(p.next()).isFalse();
        assertThat(p.improved()).isTrue();
        assertThat(p.best()).isEqualTo(3);
    }

    @Test
    void measuredListsEachCandidateWithItsRateAndSurvivesACheckpoint() throws Exception {
        double[] loss = {10};
        double[] time = {0};
        WindowProbe p = new WindowProbe(() -> loss[0], () -> time[0]);
        p.start(new int[] {1, 2, 4, 8}, 1);
        assertThat(p.measured()).isEmpty();
        time[0] = 1;
        loss[0] = 10.5; // rate +0.5: rising, yet the first measured candidate is the best so far
        p.next();
        assertThat(p.improved()).isTrue();
        assertThat(p.lastRate()).isEqualTo(0.5);
        time[0] = 2;
        loss[0] = 10.4; // rate −0.1
        p.next();
        assertThat(p.best()).isEqualTo(2);
        assertThat(p.measured()).isEqualTo("1:0.5000,2:-0.1000");
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(
                        new com.fasterxml.jackson.databind.ObjectMapper()
                                .writeValueAsString(org.dl4jasync.checkpoint.CheckpointStates.tree(p.state())),
                        java.util.Map.class);
        WindowProbe q = new WindowProbe(() -> loss[0], () -> time[0]);
        q.restore(org.dl4jasync.checkpoint.CheckpointStates.read(json, WindowProbe.State.class));
        assertThat(q.measured()).isEqualTo(p.measured());
        assertThat(q.lastRate()).isEqualTo(p.lastRate());
        assertThat(q.current()).isEqualTo(4);
        // a new start forgets the old window's rates
        p.start(new int[] {3, 4}, 3);
        assertThat(p.measured()).isEmpty();
    }

    @Test
    void risingNeedsBothTheRelativeRiseAndTheRate() {
        double[] loss = {2};
        double[] time = {0};
        WindowProbe p = new WindowProbe(() -> loss[0], () -> time[0]);
        p.start(new int[] {1, 2}, 1);
        assertThat(p.bestRate()).isInfinite();
        loss[0] = 2.2; // +10% in 0 s: no time, no rate
        assertThat(p.rising(0.05, 0.1)).isFalse();
        time[0] = 1; // +10% at 0.2/s
        assertThat(p.rising(0.05, 0.1)).isTrue();
        assertThat(p.rising(0.05, 0.25)).isFalse(); // not faster than 0.25/s
        assertThat(p.rising(0.15, 0.1)).isFalse(); // not more than 15%
        loss[0] = Double.NaN;
        assertThat(p.rising(0, 0)).isFalse();
        loss[0] = 1.8;
        time[0] = 2;
        p.next(); // -0.1/s
        assertThat(p.bestRate()).isCloseTo(-0.1, org.assertj.core.api.Assertions.within(1e-12));
    }
}
