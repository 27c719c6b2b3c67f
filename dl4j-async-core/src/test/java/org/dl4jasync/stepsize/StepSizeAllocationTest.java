package org.dl4jasync.stepsize;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** factor + observe, the per-step part of a policy, allocate nothing between refresh points. */
class StepSizeAllocationTest {

    private static long allocatedBy(StepSizePolicy p, int steps) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no allocation counter on this JVM");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        long tid = Thread.currentThread().getId();
        long best = Long.MAX_VALUE;
        double sink = 0;
        for (int round = 0; round < 5 && best > 0; round++) {
            for (int i = 0; i < 5_000; i++) {
                sink += p.factor(i % 40);
                p.observe(i % 40);
            }
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < steps; i++) {
                sink += p.factor(i % 40);
                p.observe(i % 40);
            }
            best = Math.min(best, mx.getThreadAllocatedBytes(tid) - before);
        }
        assertThat(sink).isPositive();
        return best;
    }

    @Test
    void frozenPoliciesAllocateNothingPerStep() {
        assertThat(allocatedBy(new TailStepSize.Builder(8).warmup(200).frozen().build(), 1_000))
                .isZero();
        assertThat(allocatedBy(
                        new MindTheStepSize.Builder(8, 0.01)
                                .warmup(200)
                                .frozen()
                                .build(),
                        1_000))
                .isZero();
        assertThat(allocatedBy(InverseStepSize.INSTANCE, 1_000)).isZero();
        assertThat(allocatedBy(new FleetStepSize(8), 1_000)).isZero();
    }

    @Test
    void refreshingAllocatesOnlyAtRefreshPoints() {
        // every 100 steps a snapshot (maxStaleness + 1 longs) and a table (≤ 42 doubles): bounded per refresh
        TailStepSize tail = new TailStepSize.Builder(8)
                .warmup(200)
                .window(1000)
                .refreshEvery(100)
                .build();
        long bytes = allocatedBy(tail, 10_000);
        long perRefresh = 2 * 8L * (tail.window().maxStaleness() + 64) + 1024;
        assertThat(bytes).isGreaterThan(0).isLessThanOrEqualTo(100 * perRefresh);
    }
}
