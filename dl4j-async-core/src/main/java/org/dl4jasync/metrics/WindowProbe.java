package org.dl4jasync.metrics;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * Window probing, the measurement shared by y-probing (Interval-Asynchrony, Section 4.1) and ElAsyncSGD's elastic
 * parallelism (thesis Algorithm D.2): run each candidate value of a window in turn, measure the convergence rate
 * while it runs — the change of the monitored loss per second of the run's clock — and keep the candidate with the
 * fastest decrease (the most negative rate; ties keep the earlier one). A candidate's phase length (accepted steps)
 * is the caller's; the caller also decides what a phase boundary is and what happens after the last candidate.
 *
 * <p>Not thread-safe: confined to whoever makes the controller's transitions (one thread at a time).
 *
 * <p><b>Extension interface</b> (not needed to train with the built-in algorithms): for a controller of one's own that probes settings by their convergence rate. See DESIGN.md,
 * "Public API".
 */
public final class WindowProbe {
    private final LossMonitor monitor;
    private final DoubleSupplier clock;
    private int[] candidates = new int[0];
    private int index;
    private double bestRate;
    private int best;
    /** Whether the candidate last ended by {@link #next()} became the best. */
    private boolean improved;
    /** The rate of the candidate last ended by {@link #next()} (NaN before). */
    private double lastRate = Double.NaN;
    /** Each candidate's rate since {@link #start}, in window order; NaN = not measured yet. */
    private double[] rates = new double[0];

    private double startLoss = Double.NaN;
    private double startTime;

    /**
     * @param monitor the loss whose decrease is measured
     * @param clock   seconds, real or virtual (the run's clock)
     */
    public WindowProbe(LossMonitor monitor, DoubleSupplier clock) {
        this.monitor = monitor;
        this.clock = clock;
    }

    /**
     * The levels of a probing window around {@code c} within [1, {@code max}]: c first, then c − 1 … c − w and
     * c + 1 … c + w, the side above first when {@code aboveFirst}.
     */
    public static int[] around(int c, int w, int max, boolean aboveFirst) {
        int lo = Math.max(1, c - w);
        int hi = Math.min(max, c + w);
        int[] l = new int[hi - lo + 1];
        int k = 0;
        l[k++] = c;
        if (aboveFirst) {
            for (int v = c + 1; v <= hi; v++) {
                l[k++] = v;
            }
        }
        for (int v = c - 1; v >= lo; v--) {
            l[k++] = v;
        }
        if (!aboveFirst) {
            for (int v = c + 1; v <= hi; v++) {
                l[k++] = v;
            }
        }
        return l;
    }

    /**
     * The candidates of a search on a log scale: {@code first}, 2·first, 4·first, … while below {@code last}, then
     * {@code last} (1 ≤ first ≤ last). Used by the searches of auto y0 and of elastic parallelism.
     */
    public static int[] doubling(int first, int last) {
        if (first < 1 || last < first) {
            throw new IllegalArgumentException(
                    "a doubling ladder needs 1 <= first <= last, got " + first + " and " + last);
        }
        int n = 1;
        for (long v = first; v < last; v *= 2) {
            n++;
        }
        int[] l = new int[n];
        long v = first;
        for (int i = 0; i < n - 1; i++, v *= 2) {
            l[i] = (int) v;
        }
        l[n - 1] = last;
        return l;
    }

    /**
     * Starts a probing phase over {@code window} (non-empty, in probing order); {@code fallback} is the best value
     * until a candidate has been measured. The first candidate's measurement starts now.
     */
    public void start(int[] window, int fallback) {
        if (window.length == 0) {
            throw new IllegalArgumentException("a probing window needs at least one candidate");
        }
        candidates = window;
        rates = new double[window.length];
        Arrays.fill(rates, Double.NaN);
        index = 0;
        bestRate = Double.POSITIVE_INFINITY;
        best = fallback;
        mark();
    }

    /** The candidate being measured. */
    public int current() {
        return candidates[index];
    }

    /**
     * Ends the current candidate's measurement; if another candidate follows, it becomes {@link #current()}, its
     * measurement starts, and true is returned; after the last one, false ({@link #best()} is the result).
     */
    public boolean next() {
        double loss = monitor.loss(); // one read ends this measurement and starts the next
        double now = clock.getAsDouble();
        double rate = rate(loss, now);
        lastRate = rate;
        rates[index] = rate;
        improved = rate < bestRate;
        if (improved) {
            bestRate = rate;
            best = candidates[index];
        }
        if (index + 1 < candidates.length) {
            index++;
            startLoss = loss;
            startTime = now;
            return true;
        }
        return false;
    }

    /** Whether the candidate that the last {@link #next()} ended converged faster than every one before it. */
    public boolean improved() {
        return improved;
    }

    /** The rate (loss change per second; negative = falling) of the candidate last ended by {@link #next()}. */
    public double lastRate() {
        return lastRate;
    }

    /**
     * The candidates measured since {@link #start} with their rates, in probing order: "candidate:rate,…" (loss
     * change per second, 4 significant digits; negative = falling), for reports.
     */
    public String measured() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < rates.length && !Double.isNaN(rates[i]); i++) {
            s.append(i == 0 ? "" : ",")
                    .append(candidates[i])
                    .append(':')
                    .append(String.format(Locale.ROOT, "%.4g", rates[i]));
        }
        return s.toString();
    }

    /** The fastest-converging candidate measured so far (the fallback before any). */
    public int best() {
        return best;
    }

    /** The fastest rate measured since {@link #start} (loss change per second; +∞ before any candidate ended). */
    public double bestRate() {
        return bestRate;
    }

    /**
     * Whether the monitored loss has risen since the current candidate's measurement started by more than
     * {@code minRelativeRise} of the loss then <em>and</em> at more than {@code minRate} per second of the run's
     * clock. Reads the monitor once (for a held-out monitor, one forward pass); false without a loss at either end.
     */
    public boolean rising(double minRelativeRise, double minRate) {
        double loss = monitor.loss();
        double dt = clock.getAsDouble() - startTime;
        if (Double.isNaN(loss) || Double.isNaN(startLoss) || startLoss == 0 || !(dt > 0)) {
            return false;
        }
        double rise = loss - startLoss;
        return rise / Math.abs(startLoss) > minRelativeRise && rise / dt > minRate;
    }

    /** Restarts the measurement (the loss and time a rate is measured from) at the current moment. */
    public void mark() {
        startLoss = monitor.loss();
        startTime = clock.getAsDouble();
    }

    /** The probe's state (a checkpoint): candidates, position, best so far, where the measurement started. */
    public State state() {
        return new State(
                candidates.clone(), index, bestRate, best, improved, lastRate, rates.clone(), startLoss, startTime);
    }

    /** Takes back {@link #state} (the run's clock goes on from the checkpoint's, so the times still compare). */
    public void restore(State m) {
        candidates = m.candidates().clone();
        index = m.index();
        bestRate = m.bestRate();
        best = m.best();
        improved = Boolean.TRUE.equals(m.improved()); // absent in checkpoints from before it existed
        if (m.rates() != null) {
            rates = m.rates().clone();
        } else { // absent in checkpoints from before it existed
            rates = new double[candidates.length];
            Arrays.fill(rates, Double.NaN);
        }
        lastRate = m.lastRate() == null ? Double.NaN : m.lastRate(); // likewise
        startLoss = m.startLoss();
        startTime = m.startTime();
    }

    /** The probe's state in a checkpoint; {@code improved}, {@code lastRate}, {@code rates}: null in older ones. */
    public record State(
            int[] candidates,
            int index,
            double bestRate,
            int best,
            Boolean improved,
            Double lastRate,
            double[] rates,
            double startLoss,
            double startTime) {}

    /** Loss change per second since {@link #mark()} to {@code loss} at {@code now}; no information counts as 0. */
    private double rate(double loss, double now) {
        double dt = now - startTime;
        if (!(dt > 0) || Double.isNaN(loss) || Double.isNaN(startLoss)) {
            return 0.0;
        }
        return (loss - startLoss) / dt;
    }
}
