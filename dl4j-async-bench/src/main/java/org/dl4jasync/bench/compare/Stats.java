package org.dl4jasync.bench.compare;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Medians and bootstrap confidence intervals over seeds. Values may be +∞ (a run that never reached a target counts
 * as never, not as missing); NaN values (not measured) are left out.
 *
 * <p>The interval shown is the percentile bootstrap of the median: {@value #RESAMPLES} resamples of the seeds with
 * replacement, drawn from a fixed seed so that a summary is reproducible, and the 2.5% and 97.5% quantiles of their
 * medians. With few seeds it is not a 95% interval: with 3 seeds it is about [min, max], which covers the true
 * median only with probability 1 − 2·(1/2)³ = 75%. A verdict therefore also needs the distribution-free interval of
 * the median (order statistics, exact binomial coverage ≥ 95%, i.e. a sign test at 5%), which exists only from 6
 * paired seeds on; with fewer, "no difference shown" says so.
 */
public final class Stats {
    static final int RESAMPLES = 10_000;
    private static final long SEED = 0x5EEDL;

    private Stats() {}

    /** A median and its 95% interval. */
    public record Estimate(double median, double low, double high, int n) {
        static final Estimate NONE = new Estimate(Double.NaN, Double.NaN, Double.NaN, 0);
    }

    /** Paired seeds needed for a distribution-free 95% interval of the median: [min, max] covers 1 − 2/2^n. */
    public static final int MIN_PAIRS_FOR_VERDICT = 6;

    /** What a paired comparison shows. */
    public enum Verdict {
        FASTER("faster"),
        SLOWER("slower"),
        NO_DIFFERENCE("no difference shown"),
        TOO_FEW("no difference shown (fewer than " + MIN_PAIRS_FOR_VERDICT + " pairs: no 95% verdict possible)");

        public final String text;

        Verdict(String text) {
            this.text = text;
        }
    }

    /** The values without NaN. */
    static double[] measured(double[] values) {
        return Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
    }

    public static double median(double[] values) {
        double[] v = measured(values);
        if (v.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(v);
        int n = v.length;
        if (n % 2 == 1) {
            return v[n / 2];
        }
        double a = v[n / 2 - 1];
        double b = v[n / 2];
        return a == b ? a : a + (b - a) / 2; // (∞ + ∞) / 2 stays ∞; a finite and b = ∞ gives ∞
    }

    /** The median with its percentile-bootstrap 95% interval. */
    public static Estimate estimate(double[] values) {
        double[] v = measured(values);
        if (v.length == 0) {
            return Estimate.NONE;
        }
        double[] medians = new double[RESAMPLES];
        double[] sample = new double[v.length];
        SplittableRandom r = new SplittableRandom(SEED);
        for (int b = 0; b < RESAMPLES; b++) {
            for (int i = 0; i < v.length; i++) {
                sample[i] = v[r.nextInt(v.length)];
            }
            medians[b] = median(sample);
        }
        Arrays.sort(medians);
        return new Estimate(median(v), quantile(medians, 0.025), quantile(medians, 0.975), v.length);
    }

    /** The q-quantile of sorted values (the lower of the two neighbours: no interpolation into ∞). */
    static double quantile(double[] sorted, double q) {
        int i = (int) Math.floor(q * (sorted.length - 1));
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /**
     * Ratios of times paired by seed, {@code times[s] / baseline[s]}: +∞ when only the baseline reached the
     * target, 0 when only the other did, NaN (left out) when neither did.
     */
    public static double[] ratios(double[] times, double[] baseline) {
        if (times.length != baseline.length) {
            throw new IllegalArgumentException(times.length + " times but " + baseline.length + " baseline times");
        }
        double[] r = new double[times.length];
        for (int i = 0; i < r.length; i++) {
            double a = times[i];
            double b = baseline[i];
            if (Double.isNaN(a) || Double.isNaN(b) || (Double.isInfinite(a) && Double.isInfinite(b))) {
                r[i] = Double.NaN;
            } else if (Double.isInfinite(b)) {
                r[i] = 0;
            } else {
                r[i] = a / b;
            }
        }
        return r;
    }

    /**
     * The distribution-free interval [x_(k), x_(n−k+1)] of the median with the largest k whose exact coverage
     * 1 − 2·P(Binomial(n, ½) ≤ k − 1) is at least 95%; null when even [min, max] falls short (n < 6).
     */
    public static double[] medianInterval(double[] values) {
        double[] v = measured(values);
        Arrays.sort(v);
        int n = v.length;
        int best = 0;
        if (n > 0) {
            org.apache.commons.math3.distribution.BinomialDistribution b =
                    new org.apache.commons.math3.distribution.BinomialDistribution(null, n, 0.5);
            for (int k = 1; k <= (n + 1) / 2; k++) {
                if (1 - 2 * b.cumulativeProbability(k - 1) >= 0.95) {
                    best = k;
                }
            }
        }
        return best == 0 ? null : new double[] {v[best - 1], v[n - best]};
    }

    /**
     * Faster when the time ratios' bootstrap interval and their distribution-free 95% interval both lie below 1,
     * slower when both lie above; otherwise no verdict ({@link Verdict#TOO_FEW} when there are too few pairs for the
     * latter to exist).
     */
    public static Verdict verdict(double[] ratios) {
        Estimate e = estimate(ratios);
        double[] exact = medianInterval(ratios);
        if (e.n() == 0) {
            return Verdict.NO_DIFFERENCE;
        }
        boolean below = e.high() < 1;
        boolean above = e.low() > 1;
        if ((below || above) && exact == null) {
            return Verdict.TOO_FEW;
        }
        if (below && exact[1] < 1) {
            return Verdict.FASTER;
        }
        if (above && exact[0] > 1) {
            return Verdict.SLOWER;
        }
        return Verdict.NO_DIFFERENCE;
    }
}
