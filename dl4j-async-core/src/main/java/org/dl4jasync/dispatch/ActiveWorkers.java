package org.dl4jasync.dispatch;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * The run-time bound on the workers allowed to start steps: worker w may start while w &lt; {@link #get()}.
 * Workers above the bound park in {@link #await} (no spinning, no CPU) until the bound rises or the run stops.
 */
public final class ActiveWorkers {
    private final int max;
    /** Protocol: written by the parallelism controller ({@link #set}); read by every worker before each step. */
    private volatile int active;
    /**
     * Protocol: slot w holds worker w's thread while it is in {@link #await}, else null; written only by worker w.
     * A waiter publishes itself here before it re-reads {@link #active}, and {@link #set} writes {@link #active}
     * before it reads the slots, so (volatile order) either the waiter sees the new bound or the setter sees the
     * waiter and unparks it; LockSupport keeps an unpark that comes before the park. No wake-up is lost.
     */
    private final AtomicReferenceArray<Thread> waiting;
    /** Protocol: set once before the run (the simulator's wake-up hook); called by {@link #set} on its thread. */
    private volatile IntConsumer listener;

    public ActiveWorkers(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        this.max = workers;
        this.active = workers;
        this.waiting = new AtomicReferenceArray<>(workers);
    }

    public boolean allows(int worker) {
        return worker < active;
    }

    public int get() {
        return active;
    }

    /** The most workers there can be (the bound's upper limit). */
    public int max() {
        return max;
    }

    public void set(int workers) {
        if (workers < 1 || workers > max) {
            throw new IllegalArgumentException("active workers must be in [1, " + max + "], got " + workers);
        }
        this.active = workers;
        for (int w = 0; w < workers; w++) {
            Thread t = waiting.get(w);
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
        IntConsumer l = listener;
        if (l != null) {
            l.accept(workers);
        }
    }

    /**
     * Calls {@code l} with the new bound after every {@link #set}, on the setting thread: how a single-threaded
     * simulation wakes its parked virtual workers.
     */
    public void onChange(IntConsumer l) {
        this.listener = l;
    }

    /**
     * Parks the calling worker until it is allowed to start steps or {@code stopped} is true. {@code stopped} must
     * read a volatile flag whose setter then calls {@link #wakeAll}.
     */
    public void await(int worker, BooleanSupplier stopped) {
        waiting.set(worker, Thread.currentThread());
        try {
            while (!allows(worker) && !stopped.getAsBoolean()) {
                LockSupport.park(this);
            }
        } finally {
            waiting.set(worker, null);
        }
    }

    /** Unparks every waiting worker (the run is stopping). */
    public void wakeAll() {
        for (int w = 0; w < max; w++) {
            Thread t = waiting.get(w);
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }
}
