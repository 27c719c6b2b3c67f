package org.dl4jasync.dispatch;

/**
 * The run-time bound on the workers allowed to start steps: worker w may start while w &lt; {@link #get()}.
 * Protocol: {@link #active} is written by the parallelism controller and read by every worker before each step.
 */
public final class ActiveWorkers {
    private final int max;
    private volatile int active;

    public ActiveWorkers(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        this.max = workers;
        this.active = workers;
    }

    public boolean allows(int worker) {
        return worker < active;
    }

    public int get() {
        return active;
    }

    public void set(int workers) {
        if (workers < 1 || workers > max) {
            throw new IllegalArgumentException("active workers must be in [1, " + max + "], got " + workers);
        }
        this.active = workers;
    }
}
