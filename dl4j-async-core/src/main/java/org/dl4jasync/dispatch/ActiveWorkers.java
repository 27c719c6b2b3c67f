package org.dl4jasync.dispatch;

/**
 * The run-time bound on the workers allowed to start steps: worker w may start while w &lt; {@link #get()}.
 * Workers above the bound wait in {@link #waiters()} (parked, no CPU) until the bound rises or the run stops.
 */
public final class ActiveWorkers {
    private final int max;
    /** Protocol: written by the parallelism controller ({@link #set}), then the waiters are signalled; read by every worker before each step. */
    private volatile int active;

    private final Waiters waiters;

    public ActiveWorkers(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        this.max = workers;
        this.active = workers;
        this.waiters = new Waiters(workers);
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
        change(workers);
    }

    /** {@link #set}; returns how many waiting workers it woke (the litmus tests read it). */
    int change(int workers) {
        if (workers < 1 || workers > max) {
            throw new IllegalArgumentException("active workers must be in [1, " + max + "], got " + workers);
        }
        this.active = workers; // first the change, then read who waits: the other half of the protocol
        return waiters.wake();
    }

    /** Where the run's workers wait while they may not start a step. */
    public Waiters waiters() {
        return waiters;
    }
}
