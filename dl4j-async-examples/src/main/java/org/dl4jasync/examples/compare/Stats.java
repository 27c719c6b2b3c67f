package org.dl4jasync.examples.compare;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Medians and bootstrap confidence intervals over seeds. Values may be +∞ (a run that never reached a target counts
 * as never, not as missing); NaN values (not measured) are left out.
 *
 * <p>The interval is the percentile bootstrap of the median: {@value #RESAMPLES} resamples of the seeds with
 * replacement, drawn from a fixed seed so that a summary is reproducible, and the 2.5% and 97.5% quantiles of their
 * medians. With few seeds it is wide by construction (with 3 seeds it spans most of the range): a verdict is only
 * stated when even that interval excludes "no difference".
 */
public final class Stats {
    static final int RESAMPLES = 10_000;
    private static final long SEED = 0x5EEDL;

    private Stats() {
    }

    /** A median and its 95% interval. */
    public record Estimate(double median, double low, double high, int n) {
        static final Estimate NONE = new Estimate(Double.NaN, Double.NaN, Double.NaN, 0);
    }

    /** What a paired comparison shows. */
    public enum Verdict {
        FASTER("faster"), SLOWER("slower"), NO_DIFFERENCE("no difference shown");

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

    /** Faster when the whole interval of the time ratio is below 1, slower when above, else no verdict. */
    public static Verdict verdict(Estimate ratio) {
        if (ratio.n() == 0) {
            return Verdict.NO_DIFFERENCE;
        }
        if (ratio.high() < 1) {
            return Verdict.FASTER;
        }
        if (ratio.low() > 1) {
            return Verdict.SLOWER;
        }
        return Verdict.NO_DIFFERENCE;
    }
}
