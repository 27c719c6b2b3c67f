package org.dl4jasync.dispatch;

import java.util.concurrent.atomic.AtomicLong;
import org.dl4jasync.metrics.ReportBuilder;

/**
 * Plain asynchronous SGD: every step of an active worker may start and every gradient is accepted. Worker w is
 * active while {@code w < activeWorkers}.
 *
 * <p>{@link #bounded} adds a hard staleness bound B ({@code --algorithm bounded}): an update whose staleness would
 * exceed B when it is applied is rejected (counted, never applied) and the worker reads the latest parameters for
 * its next step. This enforces by rejection the bounded-delay assumption τ ≤ B under which asynchronous SGD is
 * analysed (e.g. Lian, Huang, Li, Liu, "Asynchronous Parallel Stochastic Gradient for Nonconvex Optimization",
 * NeurIPS 2015); it is no single paper's algorithm but the baseline every bounded-staleness method is compared with.
 * τ is exact at the decision: {@link #maxStaleness()} hands the bound to the parameter store, which checks it on the
 * version counter atomically with taking the version (a CAS on the counter under HOGWILD!, under the lock for the
 * locked store, at each CAS attempt for the CAS-published store), never on a racy read of the parameters. So no
 * applied update has τ &gt; B, on any store, and a rejected update wrote nothing.
 *
 * <p>{@link #nextTicket} protocol: one getAndIncrement per started step.
 */
public final class AsyncDispatcher implements Dispatcher {
    /** Next ticket; one getAndIncrement per started step. */
    private final AtomicLong nextTicket = new AtomicLong();

    private final ActiveWorkers active;
    /** B, or Long.MAX_VALUE for plain async. */
    private final long bound;

    public AsyncDispatcher(int workers) {
        this(workers, Long.MAX_VALUE);
    }

    private AsyncDispatcher(int workers, long bound) {
        this.active = new ActiveWorkers(workers);
        this.bound = bound;
    }

    /** Asynchronous SGD that rejects updates with τ &gt; {@code maxStaleness} (B ≥ 0; 0: only fresh updates). */
    public static AsyncDispatcher bounded(int workers, long maxStaleness) {
        if (maxStaleness < 0) {
            throw new IllegalArgumentException("max staleness must be >= 0, got " + maxStaleness);
        }
        return new AsyncDispatcher(workers, maxStaleness);
    }

    @Override
    public long tryStartStep(int worker) {
        if (!active.allows(worker)) {
            return NOT_NOW;
        }
        return nextTicket.getAndIncrement();
    }

    /** Accepts every step; with a bound the store rejects a too stale one ({@link #maxStaleness()}). */
    @Override
    public boolean finishStep(int worker, long ticket) {
        return true;
    }

    @Override
    public long maxStaleness() {
        return bound;
    }

    @Override
    public long started() {
        return nextTicket.get();
    }

    @Override
    public void report(ReportBuilder report) {
        if (bound != Long.MAX_VALUE) {
            report.algorithm("bounded");
        }
    }

    @Override
    public ActiveWorkers active() {
        return active;
    }
}
