package org.dl4jasync.dispatch;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Plain asynchronous SGD: every step of an active worker may start and every gradient is accepted.
 * Worker w is active while {@code w < activeWorkers}.
 */
public final class AsyncDispatcher implements Dispatcher {
    /** Next ticket; one getAndIncrement per started step. */
    private final AtomicLong nextTicket = new AtomicLong();
    private final ActiveWorkers active;

    public AsyncDispatcher(int workers) {
        this.active = new ActiveWorkers(workers);
    }

    @Override
    public long tryStartStep(int worker) {
        if (!active.allows(worker)) {
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
    public ActiveWorkers active() {
        return active;
    }
}
