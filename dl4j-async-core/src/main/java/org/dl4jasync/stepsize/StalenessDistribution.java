package org.dl4jasync.stepsize;

import java.util.Arrays;

/**
 * An immutable histogram of observed staleness values: what a distribution-based step-size policy builds its
 * factor table from. {@code count(τ)} for τ in 0…{@link #maxTau()}; {@link #total()} is their sum.
 */
public final class StalenessDistribution {
    private final long[] counts;
    private final long total;
    /** Index (0-based) of the observation after which this snapshot was taken. */
    private final long observedAt;

    StalenessDistribution(long[] counts, long observedAt) {
        int last = counts.length - 1;
        while (last >= 0 && counts[last] == 0) {
            last--;
        }
        this.counts = Arrays.copyOf(counts, last + 1);
        long t = 0;
        for (long c : this.counts) {
            t += c;
        }
        this.total = t;
        this.observedAt = observedAt;
    }

    /** A distribution from explicit counts (index = τ); for tests and offline use. */
    public static StalenessDistribution of(long... counts) {
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("negative count " + c + " in " + Arrays.toString(counts));
            }
        }
        return new StalenessDistribution(counts.clone(), -1);
    }

    public long count(int tau) {
        return tau >= 0 && tau < counts.length ? counts[tau] : 0;
    }

    /** Largest τ with a non-zero count, or -1 when empty. */
    public int maxTau() {
        return counts.length - 1;
    }

    public long total() {
        return total;
    }

    /** P[τ' = τ]. */
    public double probability(int tau) {
        return total == 0 ? 0 : (double) count(tau) / total;
    }

    public double mean() {
        if (total == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int t = 0; t < counts.length; t++) {
            s += (double) t * counts[t];
        }
        return s / total;
    }

    long observedAt() {
        return observedAt;
    }
}
