package org.dl4jasync.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The cluster's SSP clocks: the in-process dispatcher's rule over every member's workers. */
class SspStateTest {
    private final UUID a = UUID.randomUUID();
    private final UUID b = UUID.randomUUID();

    @Test
    void aWorkerRunsAtMostSlackClocksAheadOfTheSlowestOfAnyMember() {
        SspState s = new SspState();
        int first = s.register(a, 2);
        int second = s.register(b, 1);
        assertThat(first).isZero();
        assertThat(second).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            assertThat(s.start(0, 1)).isGreaterThanOrEqualTo(0);
            s.applied(0);
        }
        assertThat(s.start(0, 1)).as("2 ahead of member b's worker").isEqualTo(-1);
        assertThat(s.mayStart(0, 1)).isFalse();
        s.benchMember(b); // b's run ended: it holds no one back
        s.applied(1);
        assertThat(s.mayStart(0, 1)).isTrue();
        assertThat(s.start(0, 1)).isEqualTo(1);
    }

    @Test
    void aLateMemberAndARejoiningWorkerStartAtTheSlowestClock() {
        SspState s = new SspState();
        s.register(a, 1);
        for (int i = 0; i < 5; i++) {
            s.start(0, 10);
            s.applied(0);
        }
        int late = s.register(b, 1);
        assertThat(s.clocks[late]).isEqualTo(5);
        s.bench(late);
        s.applied(0);
        assertThat(s.start(late, 0)).isZero();
        assertThat(s.clocks[late]).isEqualTo(6);
    }
}
