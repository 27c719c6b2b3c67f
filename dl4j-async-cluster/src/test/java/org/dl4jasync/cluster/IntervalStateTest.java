package org.dl4jasync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.dl4jasync.dispatch.IntervalPolicy;
import org.dl4jasync.dispatch.IntervalSchedule;
import org.junit.jupiter.api.Test;

/** The cluster's interval state: the in-process dispatcher's rule, step by step. */
class IntervalStateTest {

    @Test
    void anIntervalAcceptsYStepsStartedInItAndEndsWhenTheyAreApplied() {
        IntervalState s = new IntervalState(2, new IntervalSchedule.Fixed());
        long a = s.start();
        long b = s.start();
        long c = s.start();
        assertThat(s.finish(a)).isZero();
        assertThat(s.finish(b)).isZero();
        assertThat(s.finish(c)).as("the interval is full").isEqualTo(-1);
        s.applied(0);
        long d = s.start(); // started before the interval ended: stamped below the next interval's first
        s.applied(0);
        assertThat(s.index).isEqualTo(1);
        assertThat(s.first).isEqualTo(4);
        assertThat(s.finish(d)).as("started in the old interval").isEqualTo(-1);
        long e = s.start();
        assertThat(s.finish(e)).isEqualTo(1);
        assertThat(s.trace).hasSize(2);
        assertThat(s.trace.get(1)).containsExactly(2, 2);
    }

    @Test
    void theDecayScheduleIsTheCores() {
        IntervalState s = new IntervalState(5, new IntervalSchedule.Decay(2, 4, 1));
        IntervalPolicy core = new IntervalSchedule.Decay(2, 4, 1).policy(5, null, null);
        int y = core.initialY();
        long total = 0;
        for (int interval = 0; interval < 6; interval++) {
            assertThat(s.y).isEqualTo(y);
            for (int i = 0; i < y; i++) {
                assertThat(s.finish(s.start())).isEqualTo(interval);
            }
            for (int i = 0; i < y; i++) {
                s.applied(interval);
            }
            total += y;
            y = core.nextY(y, total);
        }
        assertThat(s.acceptedTotal).isEqualTo(total);
    }

    @Test
    void anUpdateOfAnEndedIntervalIsAnError() {
        IntervalState s = new IntervalState(1, new IntervalSchedule.Fixed());
        s.finish(s.start());
        s.applied(0);
        assertThatThrownBy(() -> s.applied(0)).isInstanceOf(IllegalStateException.class);
    }
}
