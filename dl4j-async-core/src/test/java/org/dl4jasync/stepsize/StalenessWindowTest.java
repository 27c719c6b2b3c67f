package org.dl4jasync.stepsize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The lock-free window under real threads: every refresh point hands out one snapshot; exact once quiet. */
class StalenessWindowTest {

    @Test
    void concurrentObserversKeepTheWindowExact() throws Exception {
        int threads = 8;
        int perThread = 20_000;
        StalenessWindow w = new StalenessWindow.Builder(threads)
                .warmup(300)
                .window(1000)
                .refreshEvery(50)
                .maxStaleness(63)
                .build();
        AtomicInteger snapshots = new AtomicInteger();
        AtomicInteger badSnapshots = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
            final int id = k;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    StalenessDistribution d = w.observe((id * 7L + i) % 100); // 100 ≥ 63: clamped
                    if (d != null) {
                        snapshots.incrementAndGet();
                        // a snapshot taken while others observe is approximate; it is never empty or unclamped
                        if (d.total() < 1 || d.maxTau() > 63) {
                            badSnapshots.incrementAndGet();
                        }
                    }
                }
            });
            ts.add(t);
            t.start();
        }
        start.countDown();
        for (Thread t : ts) {
            t.join();
        }
        long n = (long) threads * perThread;
        assertThat(w.observed()).isEqualTo(n);
        // refresh points: observation 300, then every 50 after it
        assertThat(snapshots.get()).isEqualTo(1 + (int) ((n - 300) / 50));
        assertThat(badSnapshots.get()).isZero();
        // quiescent: the window holds exactly the last 1000 counted observations
        StalenessDistribution d = w.snapshot();
        assertThat(d.total()).isEqualTo(1000);
        assertThat(d.maxTau()).isEqualTo(63);
    }
}
