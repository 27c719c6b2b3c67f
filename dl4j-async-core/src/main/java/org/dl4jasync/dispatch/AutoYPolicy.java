package org.dl4jasync.dispatch;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.IntFunction;
import org.dl4jasync.checkpoint.CheckpointStates;
import org.dl4jasync.checkpoint.Checkpointable;
import org.dl4jasync.metrics.LossMonitor;
import org.dl4jasync.metrics.ReportBuilder;
import org.dl4jasync.metrics.StepListener;
import org.dl4jasync.metrics.WindowProbe;

/**
 * {@code --interval-y auto}: chooses y0, the Interval-Asynchrony paper's open problem (Garby and Tsigas, Euro-Par
 * 2025, Section 6), by a short search over y on a log scale, then hands over to the base policy (fixed, decay or
 * probing) built from the chosen y0. Ours, not the paper's.
 *
 * <p>Search: the candidates y = 2, 4, 8, … up to the first power of two ≥ 4m, smallest first. The top is 4m, not m:
 * an interval discards the steps in flight when it ends, so its acceptance is about y/(y + E[τ]), and plain
 * asynchrony's E[τ] is about m (more with threads oversubscribing cores): y = m accepts only about half the
 * gradients, y = 4m about 80%, where y hardly constrains anything (why the ladder does not end at m: RESULTS.md,
 * "Choosing y0"). Not y = 1, which is sequential SGD at an acceptance of about 1/m (a
 * phase there costs as much time as any other and could only win where a staleness of 1 costs more than half the
 * progress). Each runs for one phase of {@code phaseSteps} <em>finished</em> steps
 * (accepted or rejected), so every candidate gets the same compute and, with busy workers, the same time; its
 * convergence rate is the monitored loss's decrease per second of the run's clock ({@link WindowProbe}). The search
 * stops after {@value #PATIENCE} + 1 candidates in a row that converge no faster than the best before them (one
 * such is forgiven: at small y a phase accepts few steps and its rate is mostly noise), at once on a diverging
 * candidate, or at the last, and y0 is the
 * fastest — <b>one rung lower when the candidate that ended the search diverged</b>, i.e. made the loss rise faster
 * than the best candidate made it fall (one phase there undoes more than one phase of the best gains; a smaller
 * rise is read as the noise of the monitored loss, see {@code divergedRate()}): then the best sits
 * next to the y at which this run diverged, with no margin for the rest of training (measured without this rule:
 * RESULTS.md, "Choosing y0"), so
 * the best itself is kept only when the search ended on a candidate that still converged, just more slowly. A margin
 * heuristic, ours. Smallest first because a large y is what can break a run where staleness is large (in simulation
 * with 64 workers and LeNet a y of 64 diverged while y = 8–16 learned): the search stops right after a y that
 * diverges, and spends at most two phases past the best otherwise. Early in training the
 * loss can fall faster in later phases (leaving a plateau), which favours the larger candidates; the step back is
 * the guard against that too. A diverging candidate is also cut short: at interval ends during its phase (at most
 * {@value #CHECKS_PER_PHASE} times, and within a time budget, {@value #CHECK_BUDGET} of the phase's time: a held-out
 * read is a forward pass) the monitored loss is read, and a rise since the phase started of more than
 * {@value #DIVERGED_RISE} of the loss then, at a rate that is divergence by the rule above, ends the phase, and so the
 * search, at once.
 *
 * <p>Threads: {@link #onStep} (every worker, every finished step) only counts, on an atomic; the search runs in
 * {@link #nextY}, on the one thread that ends an interval, and its state is confined to it.
 */
public final class AutoYPolicy implements IntervalPolicy, StepListener, Checkpointable<AutoYPolicy.State> {
    /**
     * A diverging candidate's phase is cut short only once its monitored loss has also risen by more than this
     * fraction above the phase's start (a guard against noise early in a phase, when the rate rests on little time);
     * checked at interval ends, at most {@link #CHECKS_PER_PHASE} times a phase.
     */
    static final double DIVERGED_RISE = 0.05;

    static final int CHECKS_PER_PHASE = 8;
    /**
     * The checks of a phase may take at most this fraction of the phase's time so far (run clock), a check counted
     * in advance at the cost of the last read: a held-out loss is a forward pass made on the thread that ends an
     * interval, and no step is accepted meanwhile, so with threads oversubscribing cores unbudgeted checks can cost
     * more than the phase (RESULTS.md, "Choosing y0"). Free in virtual time, where every check is made.
     */
    static final double CHECK_BUDGET = 0.1;
    /**
     * Candidates in a row that may converge no faster than the best before the search stops (a diverging one stops
     * it at once): at small y a phase accepts few steps and the monitored loss over it is mostly noise, on which a
     * search without patience can stop early (RESULTS.md, "Choosing y0").
     */
    static final int PATIENCE = 1;

    private final IntFunction<IntervalPolicy> base;
    private final long phaseSteps;
    private final int[] ladder;
    private final WindowProbe probe;
    private final DoubleSupplier clock;
    /** Protocol: finished steps (accepted or not), incremented by every worker; read at interval ends. */
    private final AtomicLong finished = new AtomicLong();

    private long phaseStart;
    private long lastCheck;
    /** When the current phase started, the time its checks took so far, the last read's time (run clock). */
    private double phaseTime;

    private double checkSeconds;
    private double readSeconds;
    private int y;
    private IntervalPolicy chosen;
    private int y0;
    /** The candidates measured, in order (for the report). */
    private int searched;
    /** Candidates in a row, up to the last measured, that were no faster than the best before them. */
    private int misses;

    /**
     * @param workers    m: the ladder ends at the first power of two ≥ 4m
     * @param phaseSteps finished steps per candidate, ≥ 1
     * @param monitor    the loss whose decrease per second judges a candidate
     * @param clock      seconds, real or virtual (the run's)
     * @param base       the policy that takes over from y0
     */
    public AutoYPolicy(
            int workers, long phaseSteps, LossMonitor monitor, DoubleSupplier clock, IntFunction<IntervalPolicy> base) {
        if (workers < 1 || phaseSteps < 1) {
            throw new IllegalArgumentException(
                    "auto y0 needs workers >= 1 and a phase of >= 1 step, got " + workers + " and " + phaseSteps);
        }
        this.base = base;
        this.phaseSteps = phaseSteps;
        this.ladder = WindowProbe.doubling(2, Integer.highestOneBit(4 * workers - 1) << 1);
        this.probe = new WindowProbe(monitor, clock);
        this.clock = clock;
        probe.start(ladder, ladder[0]);
        this.phaseTime = clock.getAsDouble();
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
        boolean cut = false;
        if (now - phaseStart < phaseSteps) {
            if (!checkDue(now)) {
                return y;
            }
            lastCheck = now;
            double t0 = clock.getAsDouble();
            boolean diverging = probe.rising(DIVERGED_RISE, divergedRate());
            readSeconds = clock.getAsDouble() - t0;
            checkSeconds += readSeconds;
            if (!diverging) {
                return y;
            }
            cut = true; // diverging: end the phase and the search now, and step back
        }
        double t0 = clock.getAsDouble();
        boolean more = probe.next();
        phaseTime = clock.getAsDouble();
        readSeconds = phaseTime - t0;
        checkSeconds = 0;
        // the next phase counts from after the read: the steps that finished during it (no step is accepted while
        // an interval ends) are not the next candidate's (with 16 threads on 2 cores one read outlasted a whole
        // phase of 4m finished steps, and every phase from y = 4 on measured a single interval)
        phaseStart = finished.get();
        lastCheck = phaseStart;
        misses = probe.improved() ? 0 : misses + 1;
        boolean diverged = cut || probe.lastRate() > divergedRate();
        if (more && !diverged && misses <= PATIENCE) {
            y = probe.current();
            searched++;
            return y;
        }
        y0 = diverged ? stepBack(probe.best()) : probe.best();
        chosen = base.apply(y0);
        return chosen.initialY();
    }

    /**
     * Whether a divergence check is due at {@code now} finished steps: phase/{@value #CHECKS_PER_PHASE} steps after
     * the last, once a best exists to judge by (not in the first candidate's phase), and if the phase's checks,
     * this one included at the cost of the last read, stay within {@value #CHECK_BUDGET} of the phase's time.
     */
    private boolean checkDue(long now) {
        return now - lastCheck >= Math.max(1, phaseSteps / CHECKS_PER_PHASE)
                && Double.isFinite(divergedRate())
                && checkSeconds + readSeconds <= CHECK_BUDGET * (clock.getAsDouble() - phaseTime);
    }

    /**
     * The rate (loss change per second) above which a candidate has diverged: a rise faster than the best candidate
     * so far made the loss fall, i.e. losing in a phase more than the best gains in one. Relative to the best rather
     * than "any rise" because the monitored loss is noisy: a candidate that converges can show a small rise over a
     * phase, while a divergence rises several times faster than the best fell (RESULTS.md, "Choosing y0"). +∞ before the first candidate has ended (it cannot be judged).
     */
    private double divergedRate() {
        return Math.abs(probe.bestRate());
    }

    /** One rung below {@code best} (the ladder's first when there is none below). */
    private int stepBack(int best) {
        int below = ladder[0];
        for (int c : ladder) {
            if (c < best) {
                below = c;
            }
        }
        return below;
    }

    /** The candidates of the search, smallest first. */
    int[] ladder() {
        return ladder.clone();
    }

    @Override
    public State checkpointState() {
        return new State(
                finished.get(),
                phaseStart,
                lastCheck,
                phaseTime,
                checkSeconds,
                readSeconds,
                y,
                searched,
                misses,
                probe.state(),
                chosen == null ? 0 : y0,
                CheckpointStates.of(chosen));
    }

    @Override
    public void restoreState(State state) {
        finished.set(state.finished());
        phaseStart = state.phaseStart();
        // absent in checkpoints from before they existed:
        lastCheck = state.lastCheck() == null ? phaseStart : state.lastCheck();
        phaseTime = state.phaseTime() == null ? 0 : state.phaseTime();
        checkSeconds = state.checkSeconds() == null ? 0 : state.checkSeconds();
        readSeconds = state.readSeconds() == null ? 0 : state.readSeconds();
        y = state.y();
        searched = state.searched();
        misses = state.misses() == null ? 0 : state.misses();
        probe.restore(state.probe());
        if (state.y0() > 0) {
            y0 = state.y0();
            chosen = base.apply(y0);
            CheckpointStates.restore(chosen, state.chosen());
        }
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }

    /**
     * The checkpoint state: the search's phase and timings, its probe, and once it has chosen, y0 and the chosen
     * policy's own state ({@code chosen}, by {@link CheckpointStates}). Boxed: absent in older checkpoints.
     */
    public record State(
            long finished,
            long phaseStart,
            Long lastCheck,
            Double phaseTime,
            Double checkSeconds,
            Double readSeconds,
            int y,
            int searched,
            Integer misses,
            WindowProbe.State probe,
            int y0,
            Map<String, Object> chosen) {}

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
     * {@code config.interval_y_search}: the candidates measured; {@code config.interval_y_search_rates}: each with
     * its convergence rate, "y:rate,…" (monitored loss change per second, negative = falling).
     */
    @Override
    public void report(ReportBuilder report) {
        report.config().put("interval_y_chosen", y0);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < searched && i < ladder.length; i++) {
            s.append(i == 0 ? "" : ",").append(ladder[i]);
        }
        report.config().put("interval_y_search", s.toString());
        report.config().put("interval_y_search_rates", probe.measured());
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT, "auto(ladder %d..%d, phase %d steps)", ladder[0], ladder[ladder.length - 1], phaseSteps);
    }
}
