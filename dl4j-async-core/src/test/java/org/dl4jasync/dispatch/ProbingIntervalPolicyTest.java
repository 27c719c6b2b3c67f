package org.dl4jasync.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProbingIntervalPolicyTest {

    /** A scripted run: one virtual second per accepted step, the loss falls by g(y) per step, fastest at y = 40. */
    private static final class Script {
        double time;
        double loss = 100;
        long accepted;

        static double decreasePerStep(int y) {
            return Math.max(0.01, 1 - (y - 40) * (y - 40) / 1600.0);
        }
    }

    @Test
    void probingWalksYTowardsTheFastestConvergence() {
        Script s = new Script();
        ProbingIntervalPolicy p = new ProbingIntervalPolicy(64, 16, 4, 64, 256, () -> s.loss, () -> s.time);
        int y = p.initialY();
        assertThat(y).isEqualTo(72); // the first probing phase starts at the top of the window around y0 = 64
        int minSeen = Integer.MAX_VALUE;
        for (int interval = 0; interval < 3_000; interval++) {
            s.accepted += y;
            s.time += y;
            s.loss -= Script.decreasePerStep(y) * y;
            y = p.nextY(y, s.accepted);
            assertThat(y).isPositive();
            if (!p.probing()) {
                minSeen = Math.min(minSeen, Math.abs(y - 40));
            }
        }
        assertThat(minSeen)
                .as("an execution phase ran within one window step of y* = 40")
                .isLessThanOrEqualTo(4);
    }

    @Test
    void windowScalesWithY() {
        ProbingIntervalPolicy p = new ProbingIntervalPolicy(64, 16, 4, 1024, 8192, () -> 1.0, () -> 0.0);
        assertThat(p.window(64)).containsExactly(72, 68, 64, 60, 56);
        int[] large = p.window(1024);
        assertThat(large[0]).isEqualTo(1024 + 128);
        assertThat(large[0] - large[1]).isEqualTo(64);
        for (int c : p.window(2)) {
            assertThat(c).isPositive();
        }
    }

    @Test
    void argumentsAreValidated() {
        assertThatThrownBy(() -> new ProbingIntervalPolicy(0, 16, 4, 1, 1, () -> 1.0, () -> 0.0))
                .hasMessageContaining("probing needs y0 >= 1");
    }
}
