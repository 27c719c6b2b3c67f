package org.dl4jasync.dispatch;

import java.util.Locale;
import java.util.function.DoubleSupplier;

import org.dl4jasync.metrics.LossMonitor;

/**
 * y-probing (Interval-Asynchrony paper, Section 4.1; window probing as in ElAsyncSGD): alternate a probing phase,
 * which runs {@code probeSteps} accepted steps at each candidate y' of a window around y and measures the
 * convergence rate (loss decrease per second, from the {@link LossMonitor}) at each, with an execution phase of
 * {@code execSteps} accepted steps at the best candidate. Training starts with a probing phase around y0.
 *
 * <p>Window: candidates from y + width/2 down to y − width/2 in steps of {@code step}, clamped to ≥ 1 (the reference
 * probes from the top down). Scaling with y: the step grows with y as max(step, round(y / 16)) and the width as
 * max(width, 4·that step), so a large y is probed with proportionally coarse candidates (at y = 64 the defaults give
 * width 16 and step 4; at y = 1024, width 256 and step 64). Phase boundaries fall on interval ends, so a candidate
 * runs for at least {@code probeSteps} accepted steps (up to one interval more).
 *
 * <p>Deviation: the reference also rescales its window by the loss achieved; here the scaling is by y alone, which
 * needs no loss normalisation. Called only by the thread that ends an interval; its state is confined to it.
 */
public final class ProbingIntervalPolicy implements IntervalPolicy {
    private final int y0;
    private final int width;
    private final int step;
    private final long probeSteps;
    private final long execSteps;
    private final LossMonitor monitor;
    private final DoubleSupplier clock;

    private boolean probing = true;
    private int[] candidates;
    private int candidate;
    private long phaseStart;
    private double phaseStartLoss = Double.NaN;
    private double phaseStartTime;
    private double bestRate;
    private int bestY;
    private int y;

    /**
     * @param clock seconds, real or virtual (the simulator's)
     */
    public ProbingIntervalPolicy(int y0, int width, int step, long probeSteps, long execSteps, LossMonitor monitor,
                                 DoubleSupplier clock) {
        if (y0 < 1 || width < 0 || step < 1 || probeSteps < 1 || execSteps < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "probing needs y0 >= 1, window >= 0, "
                    + "step >= 1, probe and execution steps >= 1; got %d, %d, %d, %d, %d", y0, width, step,
                    probeSteps, execSteps));
        }
        this.y0 = y0;
        this.width = width;
        this.step = step;
        this.probeSteps = probeSteps;
        this.execSteps = execSteps;
        this.monitor = monitor;
        this.clock = clock;
        startProbing(y0, 0);
    }

    /** The candidates of a probing phase around {@code centre}, highest first. */
    int[] window(int centre) {
        int s = Math.max(step, Math.round(centre / 16f));
        int w = Math.max(width, 4 * s);
        int top = centre + w / 2;
        int bottom = Math.max(1, centre - w / 2);
        int n = (top - bottom) / s + 1;
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            c[i] = Math.max(1, top - i * s);
        }
        return c;
    }

    private void startProbing(int centre, long accepted) {
        probing = true;
        candidates = window(centre);
        candidate = 0;
        bestRate = Double.POSITIVE_INFINITY;
        bestY = centre;
        y = candidates[0];
        markPhase(accepted);
    }

    private void markPhase(long accepted) {
        phaseStart = accepted;
        phaseStartLoss = monitor.loss();
        phaseStartTime = clock.getAsDouble();
    }

    @Override
    public int initialY() {
        return y;
    }

    @Override
    public int nextY(int currentY, long acceptedSteps) {
        long inPhase = acceptedSteps - phaseStart;
        if (probing) {
            if (inPhase < probeSteps) {
                return y;
            }
            double rate = rate();
            if (rate < bestRate) { // the fastest decrease is the most negative rate
                bestRate = rate;
                bestY = y;
            }
            if (++candidate < candidates.length) {
                y = candidates[candidate];
            } else {
                probing = false;
                y = bestY;
            }
            markPhase(acceptedSteps);
            return y;
        }
        if (inPhase < execSteps) {
            return y;
        }
        startProbing(y, acceptedSteps);
        return y;
    }

    /** Loss change per second over the phase just ended (NaN-safe: no information counts as no progress). */
    private double rate() {
        double dt = clock.getAsDouble() - phaseStartTime;
        double loss = monitor.loss();
        if (!(dt > 0) || Double.isNaN(loss) || Double.isNaN(phaseStartLoss)) {
            return 0.0;
        }
        return (loss - phaseStartLoss) / dt;
    }

    /** True while a probing phase runs. */
    public boolean probing() {
        return probing;
    }

    @Override
    public String name() {
        return "probe";
    }

    @Override
    public String toString() {
        return "probe(y0 " + y0 + ", window " + width + ", step " + step + ", p " + probeSteps + ", x " + execSteps + ")";
    }
}
