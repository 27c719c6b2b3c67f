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
}
