package org.dl4jasync.parallelism;

/**
 * Told the active worker count at the start of every probed level and execution phase (for the report's parallelism
 * trace); consecutive calls may repeat a level.
 */
@FunctionalInterface
public interface ParallelismListener {
    /**
     * @param seconds  real or virtual time since the start of the run
     * @param accepted accepted steps so far
     * @param workers  the active worker count from now on
     */
    void changed(double seconds, long accepted, int workers);
}
