package org.dl4jasync.dispatch;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.IntFunction;

import org.dl4jasync.checkpoint.Checkpointable;
import org.dl4jasync.checkpoint.StateValues;
import org.dl4jasync.metrics.LossMonitor;
import org.dl4jasync.metrics.StepListener;
import org.dl4jasync.metrics.WindowProbe;

/**
 * {@code --interval-y auto}: chooses y0, the Interval-Asynchrony paper's open problem (Garby and Tsigas, Euro-Par
 * 2025, Section 6), by a short search over y on a log scale, then hands over to the base policy (fixed, decay or
 * probing) built from the chosen y0. Ours, not the paper's.
 *
 * <p>Search: the candidates y = 2, 4, 8, … up to the first power of two ≥ m (a larger y bounds nothing plain
 * asynchrony would exceed), smallest first; not y = 1, which is sequential SGD at an acceptance of about 1/m (a
 * phase there costs as much time as any other and could only win where a staleness of 1 costs more than half the
 * progress). Each runs for one phase of {@code phaseSteps} <em>finished</em> steps
 * (accepted or rejected), so every candidate gets the same compute and, with busy workers, the same time; its
 * convergence rate is the monitored loss's decrease per second of the run's clock ({@link WindowProbe}). The search
 * stops at the first candidate that converges no faster than the best before it, or at the last, and y0 is the
 * fastest. Smallest first because a large y is what can break a run where staleness is large (in simulation with 64
 * workers and LeNet a y of 64 diverged while y = 8–16 learned): the search stops right after the first y that does
 * worse, so it spends at most one phase past the best. Phases come later in training for larger candidates, where
 * the loss falls more slowly; that biases the choice towards the smaller y — the safe direction.
 *
 * <p>Threads: {@link #onStep} (every worker, every finished step) only counts, on an atomic; the search runs in
 * {@link #nextY}, on the one thread that ends an interval, and its state is confined to it.
 */
public final class AutoYPolicy implements IntervalPolicy, StepListener, Checkpointable {
    private final IntFunction<IntervalPolicy> base;
    private final long phaseSteps;
    private final int[] ladder;
    private final WindowProbe probe;
    /** Protocol: finished steps (accepted or not), incremented by every worker; read at interval ends. */
    private final AtomicLong finished = new AtomicLong();

    private long phaseStart;
    private int y;
    private IntervalPolicy chosen;
    private int y0;
    /** The candidates measured, in order (for the report). */
    private int searched;

    /**
     * @param workers    m: the ladder ends at the first power of two ≥ m (at 2 for m ≤ 2)
     * @param phaseSteps finished steps per candidate, ≥ 1
     * @param monitor    the loss whose decrease per second judges a candidate
     * @param clock      seconds, real or virtual (the run's)
     * @param base       the policy that takes over from y0
     */
    public AutoYPolicy(int workers, long phaseSteps, LossMonitor monitor, DoubleSupplier clock,
                       IntFunction<IntervalPolicy> base) {
        if (workers < 1 || phaseSteps < 1) {
            throw new IllegalArgumentException("auto y0 needs workers >= 1 and a phase of >= 1 step, got " + workers
                    + " and " + phaseSteps);
        }
        this.base = base;
        this.phaseSteps = phaseSteps;
        this.ladder = WindowProbe.doubling(2, Math.max(2, Integer.highestOneBit(workers - 1) << 1));
        this.probe = new WindowProbe(monitor, clock);
        probe.start(ladder, ladder[0]);
        this.y = ladder[0];
        this.searched = 1;
    }

    @Override
    public void onStep(int worker, long ticket, boolean accepted, long staleness, double scale, double loss) {
        if (chosen == null) {
            finished.incrementAndGet();
        }
    }

    @Override
    public int initialY() {
        return y;
    }

    @Override
    public int nextY(int currentY, long acceptedSteps) {
        if (chosen != null) {
            return chosen.nextY(currentY, acceptedSteps);
        }
        long now = finished.get();
        if (now - phaseStart < phaseSteps) {
            return y;
        }
        phaseStart = now;
        boolean more = probe.next();
        if (more && probe.improved()) {
            y = probe.current();
            searched++;
            return y;
        }
        y0 = probe.best();
        chosen = base.apply(y0);
        return chosen.initialY();
    }

    /** The candidates of the search, smallest first. */
    int[] ladder() {
        return ladder.clone();
    }

    @Override
    public Map<String, Object> checkpointState() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("finished", finished.get());
        m.put("phase_start", phaseStart);
        m.put("y", y);
        m.put("searched", searched);
        m.put("probe", probe.state());
        m.put("y0", chosen == null ? 0 : y0);
        m.put("chosen", chosen instanceof Checkpointable ? ((Checkpointable) chosen).checkpointState() : null);
        return m;
    }

    @Override
    public void restoreState(Map<String, Object> state) {
        finished.set(StateValues.getLong(state, "finished"));
        phaseStart = StateValues.getLong(state, "phase_start");
        y = StateValues.getInt(state, "y");
        searched = StateValues.getInt(state, "searched");
        probe.restore(StateValues.getMap(state, "probe"));
        int chosenY = StateValues.getInt(state, "y0");
        if (chosenY > 0) {
            y0 = chosenY;
            chosen = base.apply(chosenY);
            if (chosen instanceof Checkpointable) {
                ((Checkpointable) chosen).restoreState(StateValues.getMap(state, "chosen"));
            }
        }
    }

    /** The y0 chosen by the search, or 0 before. */
    int chosenY0() {
        return y0;
    }

    @Override
    public String name() {
        return chosen == null ? "auto" : "auto+" + chosen.name();
    }

    /**
     * {@code config.interval_y_chosen}: the y0 chosen (0 when the run ended during the search);
     * {@code config.interval_y_search}: the candidates measured.
     */
    @Override
    public void report(org.dl4jasync.metrics.TrainingReport.Builder report) {
        report.config().put("interval_y_chosen", y0);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < searched && i < ladder.length; i++) {
            s.append(i == 0 ? "" : ",").append(ladder[i]);
        }
        report.config().put("interval_y_search", s.toString());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "auto(ladder 1..%d, phase %d steps)", ladder[ladder.length - 1], phaseSteps);
    }
}
