package org.dl4jasync.dispatch;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.dl4jasync.metrics.ReportBuilder;

/**
 * Stale Synchronous Parallel (Q. Ho, J. Cipar, H. Cui, J. K. Kim, S. Lee, P. B. Gibbons, G. A. Gibson, G. R. Ganger,
 * E. P. Xing, "More Effective Distributed ML via a Stale Synchronous Parallel Parameter Server", NeurIPS 2013,
 * Section 2): each worker has a clock, the number of its completed steps; a worker at clock c may start a step only
 * while {@code c − min over active workers of their clocks ≤ s}. Nothing is dropped: every gradient is applied, and a
 * worker that may not start parks (no spinning) until the slowest advances. s = 0 is lock-step (bulk synchronous
 * without averaging: every worker applies its own update).
 *
 * <p>Deviations, both from running on shared memory: the paper's server caches parameters per worker and guarantees a
 * read sees at least every update older than c − s; here every read sees the latest parameters of the store, which
 * is fresher than the paper requires (the bound on clock drift is the algorithm; the cache is its distributed
 * implementation). And a worker's clock advances per step, not per "clock()" call over many steps (one step per
 * clock, the paper's finest setting).
 *
 * <p>Elastic parallelism: only active workers count (id below the active bound, not parked by it, data not ended).
 * A worker the bound parked rejoins at the slowest active clock, so that a long pause does not hold everyone back
 * while it catches up.
 *
 * <p>Shared-field protocols: {@link #clock}[w] is written only by worker w (after each applied or dropped update,
 * {@link #afterApply}, and when it rejoins) and read by all; clocks only grow, so a scan for the minimum returns a
 * value at most the true minimum at its end (a worker may wait longer than needed, never shorter). {@link #benched}[w]
 * (1: parked by the active bound, or its data ended) is written only by worker w and read by all. A worker whose
 * increment may raise the minimum scans again and signals the waiters when it did; the last of the slowest workers
 * to increment sees the others' increments (volatile order), so a rise of the minimum is always signalled.
 * {@link #spreadMax}[w] is written by worker w only and read after the run.
 */
public final class SspDispatcher implements Dispatcher {
    private final AtomicLong nextTicket = new AtomicLong();
    private final ActiveWorkers active;
    private final int slack;
    private final AtomicLongArray clock;
    private final AtomicIntegerArray benched;
    private final long[] spreadMax;

    /** @param slack s ≥ 0: how many clocks a worker may run ahead of the slowest active one */
    public SspDispatcher(int workers, int slack) {
        if (slack < 0) {
            throw new IllegalArgumentException("SSP slack must be >= 0, got " + slack);
        }
        this.active = new ActiveWorkers(workers);
        this.slack = slack;
        this.clock = new AtomicLongArray(workers);
        this.benched = new AtomicIntegerArray(workers);
        this.spreadMax = new long[workers];
    }

    /** The smallest clock of the active workers other than {@code except} (−1: none); Long.MAX_VALUE when none counts. */
    private long minClock(int except) {
        int n = active.get();
        long min = Long.MAX_VALUE;
        for (int v = 0; v < n; v++) {
            if (v != except && benched.get(v) == 0) {
                long c = clock.get(v);
                if (c < min) {
                    min = c;
                }
            }
        }
        return min;
    }

    @Override
    public boolean mayStart(int worker) {
        if (!active.allows(worker)) {
            bench(worker);
            return false;
        }
        if (benched.get(worker) == 1) {
            return true; // it rejoins at the slowest clock in tryStartStep
        }
        return clock.get(worker) - minClock(-1) <= slack;
    }

    /** Worker w stops counting (parked by the active bound); the minimum may rise, so the waiters look again. */
    private void bench(int worker) {
        if (benched.get(worker) == 0) {
            benched.set(worker, 1);
            active.waiters().signal();
        }
    }

    @Override
    public long tryStartStep(int worker) {
        if (!active.allows(worker)) {
            bench(worker);
            return NOT_NOW;
        }
        long c = clock.get(worker);
        if (benched.get(worker) == 1) { // rejoining: at the slowest active clock, never behind it
            long others = minClock(worker);
            if (others != Long.MAX_VALUE && others > c) {
                c = others;
                clock.set(worker, c);
            }
            benched.set(worker, 0);
        }
        long spread = c - minClock(-1);
        if (spread > slack) {
            return NOT_NOW;
        }
        if (spread > spreadMax[worker]) {
            spreadMax[worker] = spread;
        }
        return nextTicket.getAndIncrement();
    }

    @Override
    public boolean finishStep(int worker, long ticket) {
        return true;
    }

    /** The step is complete: the worker's clock advances, and the waiters are told if the minimum rose. */
    @Override
    public void afterApply(int worker, long ticket) {
        long c = clock.get(worker);
        clock.set(worker, c + 1);
        long min = minClock(-1);
        if (min > c && min != Long.MAX_VALUE) { // it was among the slowest and the slowest moved on
            active.waiters().signal();
        }
    }

    @Override
    public void workerLeft(int worker) {
        benched.set(worker, 1); // its data ended: it will never advance, so it must not hold anyone back
        active.waiters().signal();
    }

    @Override
    public long started() {
        return nextTicket.get();
    }

    /** The largest {@code c − min} seen when a step started (≤ s): how far apart the clocks were allowed to drift. */
    public long clockSpreadMax() {
        long max = 0;
        for (long s : spreadMax) {
            max = Math.max(max, s);
        }
        return max;
    }

    /** Worker w's clock: its completed steps (plus what it skipped when it rejoined). */
    long clock(int worker) {
        return clock.get(worker);
    }

    @Override
    public void report(ReportBuilder report) {
        report.algorithm("ssp");
        report.clockSpreadMax(clockSpreadMax());
    }

    @Override
    public ActiveWorkers active() {
        return active;
    }
}
