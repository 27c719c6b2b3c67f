package org.dl4jasync.dispatch;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Where workers wait when they may not start a step now (the dispatcher said "not now", or every step permit is
 * held by a step in flight). A thread parks here, using no CPU; a virtual worker has no event. Whoever changes
 * what a waiting worker waits for (the active-worker bound, a sync round, a returned permit, the end of the run)
 * calls {@link #signal()} after the change.
 *
 * <p>{@link #waiting} protocol: slot w holds worker w's thread while it is in {@link #await}, else null; written only
 * by worker w. A waiter publishes itself before it evaluates its condition, and a signaller makes its change
 * before it reads the slots, so (volatile order) either the waiter sees the change or the signaller sees the
 * waiter and unparks it; LockSupport keeps an unpark that comes before the park. No wake-up is lost.
 *
 * <p><b>Extension interface</b> (not needed to train with the built-in algorithms): a dispatcher of one's own signals it (through {@link ActiveWorkers}) when a refused worker may retry. See DESIGN.md,
 * "Public API".
 */
public final class Waiters {
    private final AtomicReferenceArray<Thread> waiting;
    /** Protocol: set once before a simulation starts; called by {@link #signal} on the signalling thread. */
    private volatile Runnable listener;

    public Waiters(int workers) {
        this.waiting = new AtomicReferenceArray<>(workers);
    }

    /** Parks the calling worker until {@code proceed} is true (it is evaluated again after every signal). */
    public void await(int worker, BooleanSupplier proceed) {
        enter(worker); // first publish, then check: the half of the protocol that makes a signal find this worker
        try {
            while (!proceed.getAsBoolean()) {
                LockSupport.park(this);
            }
        } finally {
            waiting.set(worker, null);
        }
    }

    /** The calling thread becomes worker {@code worker}'s waiter (before it checks its condition). */
    void enter(int worker) {
        waiting.set(worker, Thread.currentThread());
    }

    /** Wakes every waiting worker so that it checks its condition again. */
    public void signal() {
        wake();
    }

    /** {@link #signal}; returns how many waiters it unparked (the litmus tests read it). */
    int wake() {
        int woken = 0;
        for (int w = 0; w < waiting.length(); w++) {
            Thread t = waiting.get(w);
            if (t != null) {
                LockSupport.unpark(t);
                woken++;
            }
        }
        Runnable l = listener;
        if (l != null) {
            l.run();
        }
        return woken;
    }

    /** Calls {@code l} after every {@link #signal}, on the signalling thread: how a simulation wakes virtual workers. */
    public void onSignal(Runnable l) {
        this.listener = l;
    }
}
