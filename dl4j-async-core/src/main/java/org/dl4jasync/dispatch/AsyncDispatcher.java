package org.dl4jasync.dispatch;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Plain asynchronous SGD: every step of an active worker may start and every gradient is accepted.
 * Worker w is active while {@code w < activeWorkers}.
 */
public final class AsyncDispatcher implements Dispatcher {
    /** Next ticket; one getAndIncrement per started step. */
    private final AtomicLong nextTicket = new AtomicLong();
    /** Written by the parallelism controller, read by every worker before a step. */
    private volatile int activeWorkers;
    private final int maxWorkers;

    public AsyncDispatcher(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        this.maxWorkers = workers;
        this.activeWorkers = workers;
    }

    @Override
    public long tryStartStep(int worker) {
        if (worker >= activeWorkers) {
            return NOT_NOW;
        }
        return nextTicket.getAndIncrement();
    }

    @Override
    public boolean finishStep(int worker, long ticket) {
        return true;
    }

    @Override
    public long started() {
        return nextTicket.get();
    }

    @Override
    public int activeWorkers() {
        return activeWorkers;
    }

    @Override
    public void setActiveWorkers(int active) {
        if (active < 1 || active > maxWorkers) {
            throw new IllegalArgumentException("active workers must be in [1, " + maxWorkers + "], got " + active);
        }
        this.activeWorkers = active;
    }
}
