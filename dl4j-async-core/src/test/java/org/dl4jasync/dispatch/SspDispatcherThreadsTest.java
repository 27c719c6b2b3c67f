package org.dl4jasync.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SSP under real threads, checked by an observer of its own: every thread counts its completed steps in an array
 * the dispatcher never sees (before telling the dispatcher, so the observer's counts are never behind its clocks),
 * and at every start checks its own count against the minimum of the observer's counts of the active workers.
 */
@Timeout(60)
class SspDispatcherThreadsTest {

    @ParameterizedTest(name = "{0} threads, s = {1}")
    @CsvSource({"8, 0", "8, 2", "16, 1", "32, 4"})
    void noWorkerStartsMoreThanSStepsAheadOfTheSlowest(int threads, int slack) throws Exception {
        SspDispatcher d = new SspDispatcher(threads, slack);
        AtomicLongArray done = new AtomicLongArray(threads);
        AtomicLong violations = new AtomicLong();
        AtomicLong waits = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int steps = 300;
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int w = t;
            Thread th = new Thread(() -> {
                try {
                    SplittableRandom r = new SplittableRandom(w);
                    for (int k = 0; k < steps; k++) {
                        long ticket;
                        while ((ticket = d.tryStartStep(w)) == Dispatcher.NOT_NOW) {
                            waits.incrementAndGet();
                            d.active().waiters().await(w, () -> d.mayStart(w));
                        }
                        long min = Long.MAX_VALUE;
                        for (int v = 0; v < threads; v++) {
                            min = Math.min(min, done.get(v));
                        }
                        if (done.get(w) - min > slack) {
                            violations.incrementAndGet();
                        }
                        // a straggler: worker 0 is 5 times slower
                        LockSupport.parkNanos((w == 0 ? 5 : 1) * (1 + r.nextInt(20_000)));
                        d.finishStep(w, ticket);
                        done.incrementAndGet(w);
                        d.afterApply(w, ticket);
                    }
                    d.workerLeft(w);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(violations.get()).isZero();
        assertThat(d.clockSpreadMax()).isLessThanOrEqualTo(slack);
        assertThat(d.started()).isEqualTo((long) steps * threads); // nothing dropped, everyone finished
        assertThat(waits.get()).as("the straggler must hold the others back").isPositive();
    }

    @Test
    void aWorkerParkedByTheActiveBoundNoLongerCountsAndRejoinsAtTheSlowestClock() {
        SspDispatcher d = new SspDispatcher(3, 1);
        for (int k = 0; k < 2; k++) { // all three at clock 2
            for (int w = 0; w < 3; w++) {
                d.afterApply(w, d.tryStartStep(w));
            }
        }
        d.setActiveWorkers(2); // worker 2 parked
        assertThat(d.mayStart(2)).isFalse();
        for (int k = 0; k < 5; k++) { // workers 0 and 1 go on without it
            for (int w = 0; w < 2; w++) {
                assertThat(d.tryStartStep(w)).isNotEqualTo(Dispatcher.NOT_NOW);
                d.afterApply(w, 0);
            }
        }
        d.setActiveWorkers(3);
        assertThat(d.mayStart(2)).isTrue();
        assertThat(d.tryStartStep(2)).isNotEqualTo(Dispatcher.NOT_NOW);
        assertThat(d.clock(2)).isEqualTo(7); // it rejoined at the slowest active clock, so nobody waits for it
        assertThat(d.mayStart(0)).isTrue();
        assertThat(d.clockSpreadMax()).isLessThanOrEqualTo(1);
    }
}
