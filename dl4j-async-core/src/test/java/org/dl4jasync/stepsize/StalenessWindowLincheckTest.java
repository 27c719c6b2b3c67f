package org.dl4jasync.stepsize;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * The staleness window of TAIL-τ (and MindTheStep, normalised rules) under concurrent observers, checked by Lincheck
 * (model checking: bounded exploration of interleavings; and stress): whatever the interleaving, once the observers
 * are quiet the per-bin counts equal the ring's contents exactly — no observation is lost or counted twice, and no
 * evicted value is left counted. The window is tiny (3 slots) so that evictions race with insertions.
 */
@Param(name = "tau", gen = IntGen.class, conf = "0:3")
public class StalenessWindowLincheckTest {
    private final StalenessWindow window = new StalenessWindow.Builder(2)
            .warmup(3)
            .window(3)
            .refreshEvery(2)
            .maxStaleness(3)
            .build();

    @Operation
    public void observe(@Param(name = "tau") int tau) {
        window.observe(tau); // its snapshot depends on the interleaving: not a result to compare
    }

    @Validate
    public void countsEqualTheRing() {
        StalenessWindow.State s = window.state();
        int[] ring = s.ring();
        long[] counts = s.counts();
        long[] fromRing = new long[counts.length];
        for (int v : ring) {
            if (v != 0) {
                fromRing[v - 1]++;
            }
        }
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] != fromRing[b]) {
                throw new IllegalStateException("bin " + b + ": count " + counts[b] + ", ring holds " + fromRing[b]);
            }
        }
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(10)
                .invocationsPerIteration(300)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(0)
                .check(getClass());
    }

    @Test
    void stress() {
        new StressOptions()
                .iterations(20)
                .invocationsPerIteration(1000)
                .threads(3)
                .actorsPerThread(3)
                .check(getClass());
    }
}
