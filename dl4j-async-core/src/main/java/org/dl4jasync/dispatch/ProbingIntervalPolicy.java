package org.dl4jasync.dispatch;

import java.util.Locale;
import java.util.function.DoubleSupplier;
import org.dl4jasync.checkpoint.Checkpointable;
import org.dl4jasync.metrics.LossMonitor;
import org.dl4jasync.metrics.WindowProbe;

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
public final class ProbingIntervalPolicy implements IntervalPolicy, Checkpointable<ProbingIntervalPolicy.State> {
    private final int y0;
    private final int width;
    private final int step;
    private final long probeSteps;
    private final long execSteps;
    private final WindowProbe probe;

    private boolean probing = true;
    /** Accepted steps at the start of the current phase. */
    private long phaseStart;

    private int y;

    /**
     * @param clock seconds, real or virtual (the simulator's)
     */
    public ProbingIntervalPolicy(
            int y0, int width, int step, long probeSteps, long execSteps, LossMonitor monitor, DoubleSupplier clock) {
        if (y0 < 1 || width < 0 || step < 1 || probeSteps < 1 || execSteps < 1) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "probing needs y0 >= 1, window >= 0, "
                            + "step >= 1, probe and execution steps >= 1; got %d, %d, %d, %d, %d",
                    y0,
                    width,
                    step,
                    probeSteps,
                    execSteps));
        }
        this.y0 = y0;
        this.width = width;
        this.step = step;
        this.probeSteps = probeSteps;
        this.execSteps = execSteps;
        this.probe = new WindowProbe(monitor, clock);
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
        probe.start(window(centre), centre);
        y = probe.current();
        phaseStart = accepted;
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
            if (probe.next()) {
                y = probe.current();
            } else {
                probing = false;
                y = probe.best();
            }
            phaseStart = acceptedSteps;
            return y;
        }
        if (inPhase < execSteps) {
            return y;
        }
        startProbing(y, acceptedSteps);
        return y;
    }

    @Override
    public State checkpointState() {
        return new State(probing, phaseStart, y, probe.state());
    }

    @Override
    public void restoreState(State state) {
        probing = state.probing();
        phaseStart = state.phaseStart();
        y = state.y();
        probe.restore(state.probe());
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }

    /** The checkpoint state: the phase, its start, y and the probing window's measurement. */
    public record State(boolean probing, long phaseStart, int y, WindowProbe.State probe) {}

    /** True while a probing phase runs. */
    boolean probing() {
        return probing;
    }

    @Override
    public String name() {
        return "probe";
    }

    @Override
    public String toString() {
        return "probe(y0 " + y0 + ", window " + width + ", step " + step + ", p " + probeSteps + ", x " + execSteps
                + ")";
    }
}
