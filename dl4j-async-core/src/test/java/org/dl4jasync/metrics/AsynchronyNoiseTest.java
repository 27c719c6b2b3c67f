package org.dl4jasync.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class AsynchronyNoiseTest {

    @Test
    void pairsTheAppliedUpdateWithTheFirstReadersUpdateOfTheSameVersion() {
        AsynchronyNoise n = new AsynchronyNoise(() -> 1.5, 2, 100);
        // version 0: read first by a worker whose update is (1, 0); a later reader of version 0 is ignored
        n.computed(0, Nd4j.createFromArray(1f, 0f));
        n.computed(0, Nd4j.createFromArray(9f, 9f));
        // the update applied at iteration 0 was (0, 0.5) × 2 → ‖(0, 1) − (1, 0)‖ = √2
        n.applied(0, Nd4j.createFromArray(0f, 0.5f), 2.0);
        // iteration 1 applied before its first reader finishes: (3, 4) then the reader's (0, 0) → 5
        n.applied(1, Nd4j.createFromArray(3f, 4f), 1.0);
        n.computed(1, Nd4j.createFromArray(0f, 0f));
        List<TracePoint> t = n.trace();
        assertThat(t).hasSize(1);
        assertThat(t.get(0).value).isCloseTo((Math.sqrt(2) + 5) / 2, within(1e-6));
        assertThat(t.get(0).steps).isEqualTo(2);
        assertThat(t.get(0).seconds).isEqualTo(1.5);
        assertThat(n.measured()).isEqualTo(2);
    }

    @Test
    void versionsWithoutAPartnerAreEvicted() {
        AsynchronyNoise n = new AsynchronyNoise(() -> 0, 1, 3);
        n.computed(0, Nd4j.createFromArray(1f));
        for (long i = 1; i <= 10; i++) {
            n.applied(i, Nd4j.createFromArray(1f), 1.0); // nobody computes from versions 1…10
        }
        n.applied(0, Nd4j.createFromArray(5f), 1.0); // version 0 is older than the horizon: gone
        assertThat(n.measured()).isZero();
        assertThat(n.trace()).isEmpty();
    }
}
