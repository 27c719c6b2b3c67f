package org.dl4jasync.dispatch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import org.dl4jasync.checkpoint.Checkpointable;
import org.dl4jasync.checkpoint.StateValues;
import org.dl4jasync.metrics.StepListener;

/**
 * {@code --interval-y auto}: a heuristic y0 from the measured asynchronous staleness, for the paper's open problem
 * that probing is sensitive to y0. The first interval is a calibration phase of {@code calibrationSteps} accepted
 * steps (8m by default, and nearly plain asynchrony because y is that large); it measures the mean staleness E[τ]
 * of its applied updates after a warm-up of m of them (the first m updates of a run have τ 0…m−1 and would bias
 * E[τ] low). Then y0 = max(1, round(4·E[τ])) — by the
 * paper's acceptance model y / (y + E[τ]) that targets 80% accepted steps — and the base policy built from y0
 * takes over.
 *
 * <p>Feed it the applied updates as a {@link StepListener}. {@link #tauSum}/{@link #tauCount} are updated by all
 * workers (atomics); the policy methods run on the one thread that ends an interval.
 */
public final class AutoYPolicy implements IntervalPolicy, StepListener, Checkpointable {
    private final long calibrationSteps;
    private final IntFunction<IntervalPolicy> base;
    private final AtomicLong tauSum = new AtomicLong();
    private final AtomicLong tauCount = new AtomicLong();
    private final AtomicLong seen = new AtomicLong();
    private final long warmUp;
    private IntervalPolicy chosen;
    private int y0;

    /**
     * @param calibrationSteps accepted steps of the calibration phase, more than {@code warmUp}
     * @param warmUp           applied updates ignored at the start (the worker count)
     */
    public AutoYPolicy(long calibrationSteps, long warmUp, IntFunction<IntervalPolicy> base) {
        if (calibrationSteps < 1 || calibrationSteps > Integer.MAX_VALUE || warmUp < 0 || warmUp >= calibrationSteps) {
            throw new IllegalArgumentException("calibration steps must be in [1, 2^31) and above the warm-up, got "
                    + calibrationSteps + " and " + warmUp);
        }
        this.calibrationSteps = calibrationSteps;
        this.warmUp = warmUp;
        this.base = base;
    }

    @Override
    public void onStep(int worker, long ticket, boolean accepted, long staleness, double scale, double loss) {
        if (accepted && chosen == null && seen.incrementAndGet() > warmUp) {
            tauSum.addAndGet(staleness);
            tauCount.incrementAndGet();
        }
    }

    @Override
    public int initialY() {
        return (int) calibrationSteps;
    }

    @Override
    public int nextY(int currentY, long acceptedSteps) {
        if (chosen == null) {
            long n = tauCount.get();
            double meanTau = n == 0 ? 0 : (double) tauSum.get() / n;
            y0 = (int) Math.max(1, Math.round(4 * meanTau));
            chosen = base.apply(y0);
            return chosen.initialY();
        }
        return chosen.nextY(currentY, acceptedSteps);
    }

    @Override
    public Map<String, Object> checkpointState() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tau_sum", tauSum.get());
        m.put("tau_count", tauCount.get());
        m.put("seen", seen.get());
        m.put("y0", chosen == null ? 0 : y0);
        m.put("chosen", chosen instanceof Checkpointable ? ((Checkpointable) chosen).checkpointState() : null);
        return m;
    }

    @Override
    public void restoreState(Map<String, Object> state) {
        tauSum.set(StateValues.getLong(state, "tau_sum"));
        tauCount.set(StateValues.getLong(state, "tau_count"));
        seen.set(StateValues.getLong(state, "seen"));
        int y = StateValues.getInt(state, "y0");
        if (y > 0) {
            y0 = y;
            chosen = base.apply(y);
            if (chosen instanceof Checkpointable) {
                ((Checkpointable) chosen).restoreState(StateValues.getMap(state, "chosen"));
            }
        }
    }

    /** The y0 chosen after calibration, or 0 before. */
    int chosenY0() {
        return y0;
    }

    @Override
    public String name() {
        return chosen == null ? "auto" : "auto+" + chosen.name();
    }

    /** {@code config.interval_y_chosen}: the y0 chosen after calibration (0 when the run ended before). */
    @Override
    public void report(org.dl4jasync.metrics.TrainingReport.Builder report) {
        report.config().put("interval_y_chosen", y0);
    }
}
