package org.dl4jasync.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact histogram of staleness values. Single writer (one per worker, merged after the run); the counts array
 * grows by doubling, so recording allocates only when a new maximum τ is seen (warm-up).
 */
final class StalenessHistogram {
    private long[] counts = new long[64];
    private long total;
    private long sum;
    private long max = -1;

    public void record(long tau) {
        record(tau, 1);
    }

    /** Records {@code n} updates of staleness {@code tau} (a checkpoint's counts taken back). */
    void record(long tau, long times) {
        if (tau < 0) {
            throw new IllegalArgumentException("negative staleness " + tau);
        }
        if (tau >= counts.length) {
            long n = counts.length;
            while (n <= tau) {
                n <<= 1;
            }
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("staleness too large to histogram: " + tau);
            }
            counts = Arrays.copyOf(counts, (int) n);
        }
        counts[(int) tau] += times;
        total += times;
        sum += tau * times;
        if (tau > max) {
            max = tau;
        }
    }

    public void merge(StalenessHistogram other) {
        if (other.max >= counts.length) {
            counts = Arrays.copyOf(counts, other.counts.length);
        }
        for (int t = 0; t <= other.max; t++) {
            counts[t] += other.counts[t];
        }
        total += other.total;
        sum += other.sum;
        max = Math.max(max, other.max);
    }

    public long total() {
        return total;
    }

    public long count(long tau) {
        return tau < counts.length && tau >= 0 ? counts[(int) tau] : 0;
    }

    /** Largest τ recorded, or -1 when empty. */
    public long max() {
        return max;
    }

    public double mean() {
        return total == 0 ? Double.NaN : (double) sum / total;
    }

    /** Smallest τ with P[τ' ≤ τ] ≥ q (q in (0, 1]); -1 when empty. */
    public long quantile(double q) {
        if (total == 0) {
            return -1;
        }
        long need = (long) Math.ceil(q * total);
        long seen = 0;
        for (int t = 0; t <= max; t++) {
            seen += counts[t];
            if (seen >= need && seen > 0) {
                return t;
            }
        }
        return max;
    }

    /** Non-zero bins as [τ, count] pairs in increasing τ. */
    public List<long[]> entries() {
        List<long[]> out = new ArrayList<>();
        for (int t = 0; t <= max; t++) {
            if (counts[t] != 0) {
                out.add(new long[] {t, counts[t]});
            }
        }
        return out;
    }
}
