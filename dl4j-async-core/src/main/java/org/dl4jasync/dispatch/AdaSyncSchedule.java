package org.dl4jasync.dispatch;

/**
 * AdaSync's schedule of K (S. Dutta, J. Wang, G. Joshi, "Slow and Stale Gradients Can Win the Race", IEEE
 * Journal on Selected Areas in Information Theory, 2021, where AdaSync is proposed): K_t = ⌈K0 · √(L0 / L_t)⌉, capped at m and at least 1, where L is the training loss.
 * As the loss falls the rounds wait for more submissions: little averaging while progress is cheap, more when noise
 * dominates.
 *
 * <p>Deviation (the paper evaluates the full training loss at fixed wall-clock intervals; we have only minibatch
 * losses): L0 is the mean minibatch loss of the first m submissions (computed from the first few versions of the
 * model), and L_t an exponential moving average of the submissions' minibatch losses with weight
 * {@value #EMA_WEIGHT} (about the last 100), started at L0. K is recomputed at every round's close. Since
 * K_t is a decreasing function of L_t, K never decreases while the smoothed loss falls.
 *
 * <p>Not thread-safe: called under the rounds' lock (see {@link RoundPolicy}).
 */
final class AdaSyncSchedule implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    static final double EMA_WEIGHT = 0.01;

    private final int k0;
    private final int m;
    private double sum;
    private long seen;
    private double l0 = Double.NaN;
    private double ema = Double.NaN;
    private int k;

    AdaSyncSchedule(int k0, int m) {
        if (k0 < 1 || k0 > m) {
            throw new IllegalArgumentException("K0 must be in [1, " + m + "], got " + k0);
        }
        this.k0 = k0;
        this.m = m;
        this.k = k0;
    }

    void submitted(double loss) {
        if (Double.isNaN(loss)) {
            return;
        }
        if (Double.isNaN(l0)) {
            sum += loss;
            if (++seen >= m) {
                l0 = sum / seen;
                ema = l0;
            }
        } else {
            ema += EMA_WEIGHT * (loss - ema);
        }
    }

    /** Recomputes K from the smoothed loss (K0 until L0 is known). */
    void update() {
        if (Double.isNaN(l0) || !(ema > 0)) {
            return;
        }
        double ratio = l0 / ema;
        k = (int) Math.max(1, Math.min(m, Math.ceil(k0 * Math.sqrt(ratio) - 1e-9)));
    }

    int k() {
        return k;
    }

    State state() {
        return new State(sum, seen, l0, ema, k);
    }

    void restore(State state) {
        sum = state.sum();
        seen = state.seen();
        l0 = state.l0();
        ema = state.ema();
        k = state.k();
    }

    /** The schedule's state in a checkpoint. */
    public record State(double sum, long seen, double l0, double ema, int k) {}

    /** L0 (NaN until known) and the current L_t, for tests. */
    double initialLoss() {
        return l0;
    }

    double smoothedLoss() {
        return ema;
    }
}
