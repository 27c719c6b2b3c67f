package org.dl4jasync.metrics;

import java.util.Arrays;

/**
 * Applied updates by staleness τ: how many ({@link #histogram}) and the sum of their step-size factors. Single writer:
 * one worker's thread, or the one thread that records every virtual worker's updates in a simulation (then shared
 * by all of them, {@link #shared()}); read after the writers have stopped. Both arrays grow by doubling, only when a
 * new maximum τ is seen.
 *
 * <p><b>Engine-internal</b>, as {@link WorkerStats}.
 */
public final class ByStaleness {
    final StalenessHistogram histogram = new StalenessHistogram();
    private double[] scaleSum = new double[64];
    final boolean shared;

    ByStaleness() {
        this(false);
    }

    private ByStaleness(boolean shared) {
        this.shared = shared;
    }

    /** One instance for all the workers of a run recorded by one thread. */
    public static ByStaleness shared() {
        return new ByStaleness(true);
    }

    void record(long tau, double scale) {
        histogram.record(tau);
        grow(tau);
        scaleSum[(int) tau] += scale;
    }

    /** Takes back a checkpoint's bin. */
    void restore(long tau, long count, double factorSum) {
        histogram.record(tau, count);
        grow(tau);
        scaleSum[(int) tau] = factorSum;
    }

    private void grow(long tau) {
        if (tau >= scaleSum.length) {
            scaleSum = Arrays.copyOf(scaleSum, (int) Math.max(tau + 1, 2L * scaleSum.length));
        }
    }

    /** Sum of the factors applied at staleness τ. */
    public double scaleSumAt(long tau) {
        return tau < scaleSum.length ? scaleSum[(int) tau] : 0;
    }
}
