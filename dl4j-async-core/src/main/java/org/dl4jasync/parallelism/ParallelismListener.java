package org.dl4jasync.parallelism;

/** Told every time the controller changes the active worker count (for the report's parallelism trace). */
@FunctionalInterface
public interface ParallelismListener {
    /**
     * @param seconds  real or virtual time since the start of the run
     * @param accepted accepted steps so far
     * @param workers  the new active worker count
     */
    void changed(double seconds, long accepted, int workers);
}
