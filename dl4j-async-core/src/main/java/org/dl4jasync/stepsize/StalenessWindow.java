package org.dl4jasync.stepsize;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Online estimate of the staleness distribution of applied updates, for the distribution-based step-size
 * policies (TAIL-τ, MindTheStep, normalised rules). Lock-free: every worker calls {@link #observe} after it
 * applied an update, concurrently.
 *
 * <p>Schedule, in applied updates (observations) t = 0, 1, …:
 * <ul>
 *   <li><b>warm-up</b> t &lt; N: the policy runs at factor 1; observations from {@code N − ⌈N/3⌉} on are
 *       counted (the reference collects steps 10m…15m of a 15m warm-up: the first steps of a run have small τ
 *       because fewer updates exist yet, so they are not representative);</li>
 *   <li>at t = N − 1 the first snapshot is handed out;</li>
 *   <li>then, unless {@code frozen}, a snapshot of the last K counted observations every R observations
 *       (a sliding window: the distribution follows changes of the worker count or of an interval size).</li>
 * </ul>
 * τ at or above {@code maxStaleness} is counted as {@code maxStaleness}: the histogram is bounded, and the
 * policies look such τ up in the same clamped bin, so the snapshot is exactly the distribution the factors see.
 */
public final class StalenessWindow {
    private final long warmup;
    private final long collectFrom;
    private final int window;
    /** R, or 0 when frozen. */
    private final long refreshEvery;

    private final int maxStaleness;

    /** Protocol: incremented once per observation (getAndIncrement); the value taken is the observation's index t. */
    private final AtomicLong observed = new AtomicLong();
    /**
     * Protocol: slot j mod K holds 1 + τ of counted observation j, 0 before it is written; changed only by
     * getAndSet, so every value written is taken out exactly once (by the observation K later).
     */
    private final AtomicIntegerArray ring;
    /**
     * Protocol: counts[τ] ≥ number of ring slots holding 1 + τ, always: an observation increments its count before
     * it puts τ into the ring, and the observation that takes τ out decrements after it has taken it.
     * Snapshots read it bin by bin without stopping writers, so one taken while others observe is off by the
     * observations made during its scan (one may show in both its new bin and the bin it evicts); once writers are
     * quiet it equals the ring exactly. The factor table is exactly mean-preserving for the snapshot it was built
     * from, whatever its error against the true distribution.
     */
    private final AtomicLongArray counts;

    private StalenessWindow(Builder b) {
        this.warmup = b.warmup;
        this.collectFrom = b.warmup - Math.max(1, (b.warmup + 2) / 3);
        this.window = b.window;
        this.refreshEvery = b.frozen ? 0 : b.refreshEvery;
        this.maxStaleness = b.maxStaleness;
        this.ring = new AtomicIntegerArray(window);
        this.counts = new AtomicLongArray(maxStaleness + 1);
    }

    /**
     * Counts τ; returns a snapshot when this observation is a refresh point (the caller rebuilds its table from
     * it), else null. O(1) except at refresh points (O(maxStaleness), once per R observations).
     */
    public StalenessDistribution observe(long tau) {
        long t = observed.getAndIncrement();
        if (t < collectFrom || (refreshEvery == 0 && t >= warmup)) {
            return null; // before the counted part of the warm-up, or frozen after it
        }
        int bin = bin(tau);
        counts.incrementAndGet(bin);
        int old = ring.getAndSet((int) ((t - collectFrom) % window), bin + 1);
        if (old != 0) {
            counts.decrementAndGet(old - 1);
        }
        long after = t + 1;
        boolean due = after == warmup || (refreshEvery > 0 && after > warmup && (after - warmup) % refreshEvery == 0);
        return due ? snapshot(t) : null;
    }

    private StalenessDistribution snapshot(long t) {
        long[] c = new long[counts.length()];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts.get(i);
        }
        return new StalenessDistribution(c, t);
    }

    /** The current window's counts (exact once writers are quiet; when frozen, the warm-up's estimate). */
    StalenessDistribution snapshot() {
        return snapshot(observed.get() - 1);
    }

    /** The window as a checkpoint keeps it (observers paused): the observation count, the ring and the counts. */
    State state() {
        int[] r = new int[ring.length()];
        for (int i = 0; i < r.length; i++) {
            r[i] = ring.get(i);
        }
        long[] c = new long[counts.length()];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts.get(i);
        }
        return new State(observed.get(), r, c);
    }

    /** Takes back {@link #state} of a window built the same way (before any observation). */
    void restore(State m) {
        int[] r = m.ring();
        long[] c = m.counts();
        if (r.length != ring.length() || c.length != counts.length()) {
            throw new IllegalArgumentException("the checkpoint's staleness window has another size");
        }
        observed.set(m.observed());
        for (int i = 0; i < r.length; i++) {
            ring.set(i, r[i]);
        }
        for (int i = 0; i < c.length; i++) {
            counts.set(i, c[i]);
        }
    }

    /** The window's state in a checkpoint: updates observed, the ring of the last τs, the counts by τ. */
    public record State(long observed, int[] ring, long[] counts) {}

    /** The histogram bin of τ: τ clamped to {@code maxStaleness}. */
    public int bin(long tau) {
        if (tau < 0) {
            throw new IllegalArgumentException("negative staleness " + tau);
        }
        return (int) Math.min(tau, maxStaleness);
    }

    /** Applied updates run at factor 1 before the first snapshot. */
    public long warmup() {
        return warmup;
    }

    public int window() {
        return window;
    }

    public boolean frozen() {
        return refreshEvery == 0;
    }

    public int maxStaleness() {
        return maxStaleness;
    }

    /** Observations seen so far. */
    public long observed() {
        return observed.get();
    }

    /** e.g. {@code warmup 240, window 1000, every 100} or {@code warmup 240, frozen}. */
    public String describe() {
        return "warmup " + warmup + (frozen() ? ", frozen" : ", window " + window + ", every " + refreshEvery);
    }

    /**
     * {@code new StalenessWindow.Builder(workers)}: defaults warm-up N = 15·m (the reference's), window
     * K = max(1000, 10·m), refresh every R = ⌈K/10⌉, maxStaleness = 64·m + 64.
     */
    public static final class Builder {
        private long warmup;
        private int window;
        private long refreshEvery;
        private boolean refreshSet;
        private boolean frozen;
        private int maxStaleness;

        public Builder(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be >= 1, got " + workers);
            }
            this.warmup = 15L * workers;
            this.window = Math.max(1000, 10 * workers);
            this.refreshEvery = 0;
            this.maxStaleness = (int) Math.min(Integer.MAX_VALUE - 16L, 64L * workers + 64);
        }

        /** Applied updates at factor 1 before the first estimate (≥ 1). */
        public Builder warmup(long n) {
            this.warmup = n;
            return this;
        }

        /** Counted observations the estimate covers (≥ 1). */
        public Builder window(int k) {
            this.window = k;
            return this;
        }

        /** Re-estimate every R applied updates after the warm-up (≥ 1). Default ⌈K/10⌉. */
        public Builder refreshEvery(long r) {
            this.refreshEvery = r;
            this.refreshSet = true;
            this.frozen = false;
            return this;
        }

        /** Keep the warm-up's estimate for the whole run (the reference's behaviour). */
        public Builder frozen() {
            this.frozen = true;
            return this;
        }

        /** τ above this share its bin (≥ 1). */
        public Builder maxStaleness(int b) {
            this.maxStaleness = b;
            return this;
        }

        /** Raises the bound to at least {@code b} (keeps a larger one); for policies that need bins above a τ. */
        public Builder maxStalenessAtLeast(int b) {
            this.maxStaleness = Math.max(maxStaleness, b);
            return this;
        }

        public StalenessWindow build() {
            if (warmup < 1) {
                throw new IllegalArgumentException("warm-up must be >= 1 applied update, got " + warmup);
            }
            if (window < 1) {
                throw new IllegalArgumentException("window must be >= 1 observation, got " + window);
            }
            if (!frozen && refreshSet && refreshEvery < 1) {
                throw new IllegalArgumentException("refresh period must be >= 1 applied update, got " + refreshEvery);
            }
            if (maxStaleness < 1) {
                throw new IllegalArgumentException("maxStaleness must be >= 1, got " + maxStaleness);
            }
            if (!refreshSet) {
                refreshEvery = (window + 9L) / 10;
            }
            return new StalenessWindow(this);
        }
    }
}
