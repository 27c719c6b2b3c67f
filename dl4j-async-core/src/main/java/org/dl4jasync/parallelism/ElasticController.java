package org.dl4jasync.parallelism;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.dl4jasync.checkpoint.Checkpointable;
import org.dl4jasync.dispatch.ActiveWorkers;
import org.dl4jasync.metrics.BreakEven;
import org.dl4jasync.metrics.LossMonitor;
import org.dl4jasync.metrics.ReportBuilder;
import org.dl4jasync.metrics.StepListener;
import org.dl4jasync.metrics.WindowProbe;

/**
 * ElAsyncSGD's elastic parallelism control: K. Bäckström, "Less is more: Elastic Parallelism Control for
 * Asynchronous SGD" (thesis Chapter D, Algorithms D.1–D.3).
 *
 * <p>The active worker count m^E ∈ [1, m̂] starts at m0 (default ⌈m̂/2⌉). The controller alternates a
 * <b>probing phase</b>, which runs D_P accepted steps at each level of the window {m^E − W_P, …, m^E + W_P}
 * (clamped to [1, m̂]) and measures the convergence rate at each (loss change per second from the
 * {@link LossMonitor}; the most negative is the fastest descent), with an <b>execution phase</b> of I_P accepted
 * steps at the best level. The first probing phase repeats around the best level until the best level is the
 * window's centre. I_P = {@code ip}·m^E and D_P = {@code dp}·m^E with m^E the centre of the phase (the paper's
 * I_P = 100·m^E, D_P = 10·m^E, W_P = 1). Workers at or above m^E park ({@link ActiveWorkers#await}).
 *
 * <p><b>Search mode</b> ({@link ElasticSearch#LOG}, ours; {@link ElasticSearch#PAPER} is the default): instead of the
 * first probing phase from m0, which moves one level per phase (with m̂ = 64 and m* near 4 that is some 28 phases,
 * each probing three levels), the controller first measures the levels 1, 2, 4, …, m̂ on a log scale, smallest
 * first, each for D_P = dp·level accepted steps (so each level runs for about the same time, and a level costs
 * worker-seconds in proportion to it), and stops at the first level that converges no faster than the best before
 * it: a logarithmic number of probes, the expensive large levels only when the smaller ones keep getting faster.
 * Then it runs an execution phase at the best level and follows it with the paper's windows. Rates are compared per
 * second of the run's clock, as the paper's probing does.
 *
 * <p>Where we deviate and why: each probing phase probes the centre first, and a tie keeps the earlier level, so with
 * no information (a flat loss) the controller stays where it is; then the levels on one side, then the other,
 * below first and above first in turn from one phase to the next. The loss falls ever more slowly as training goes
 * on, so within a phase a level probed later is at a disadvantage; with the neighbours always below first the
 * level drifted down, and alternating removes that one-sided handicap (RESULTS.md, "Elastic parallelism: the log
 * search").
 * D_P uses the phase's centre for every level of the window, so each level runs the same number of accepted steps.
 *
 * <p>Threading: {@link #onStep} is called by all workers. Accepted steps are counted with an atomic; the worker
 * whose step crosses the phase boundary takes {@link #busy} by CAS and makes the transition; every other field is
 * touched only by the holder of {@link #busy} (the CAS and the release order the hand-over).
 */
public final class ElasticController implements StepListener, Checkpointable<ElasticController.State> {
    private final int maxWorkers;
    private final int initialWorkers;
    private final int ipFactor;
    private final int dpFactor;
    private final int window;
    private final LossMonitor monitor;
    /** What the log search compares (the monitor unless one was given for it). */
    private final LossMonitor searchMonitor;

    private final ParallelismListener listener;
    private final Integer baselineWorkers;
    private final ElasticSearch search;
    /** [[seconds, accepted, m], …]; appended only under {@link #busy} (or in {@link #bind}), read after the run. */
    private final List<Number[]> trace = new ArrayList<>();

    /** Protocol: incremented once per accepted step by the worker that ran it. */
    private final AtomicLong accepted = new AtomicLong();
    /** Protocol: accepted-step count at which the next transition is due; written only under {@link #busy}. */
    private volatile long boundary;
    /** Protocol: CAS false → true by the one worker making a transition; set false when it is done. */
    private final AtomicBoolean busy = new AtomicBoolean();

    // --- state confined to the holder of busy
    private ActiveWorkers active;
    /** The run's clock (real or virtual seconds since its start), given by {@link #bind}. */
    private DoubleSupplier clock;

    private boolean probing;
    /** The log-scale search of {@link ElasticSearch#LOG} is running (before any probing phase). */
    private boolean searching;

    private boolean firstProbe;
    private int centre;
    /** The probing phase's measurement, made when the run binds the controller (it brings the clock). */
    private WindowProbe probe;

    private long probingPhases;
    /** Whether the next probing phase probes the levels above the centre before those below. */
    private boolean aboveFirst;
    /** The log search's levels and rates once it has ended ({@link WindowProbe#measured}); "" before. */
    private String searchRates = "";

    /**
     * A controller for {@code maxWorkers} (m̂) workers with the paper's settings ({@link ElasticSpec.Probing#DEFAULT}:
     * I_P = 100·m^E, D_P = 10·m^E, W_P = 1, m0 = ⌈m̂/2⌉).
     *
     * @param monitor the loss whose rate of decrease the probing compares (feed it, e.g. as a step listener)
     */
    public ElasticController(int maxWorkers, LossMonitor monitor) {
        this(maxWorkers, ElasticSpec.Probing.DEFAULT, monitor, monitor, null);
    }

    /**
     * A controller for {@code maxWorkers} (m̂) workers with the settings of {@code spec} (its one place: values,
     * defaults, checks).
     *
     * @param monitor       the loss whose rate of decrease the probing compares
     * @param searchMonitor the loss the log search compares, if not {@code monitor} (e.g. a held-out loss for the
     *                      search's short first phases); null: {@code monitor}
     * @param listener      told of every change of the active count; may be null
     */
    public ElasticController(
            int maxWorkers,
            ElasticSpec.Probing spec,
            LossMonitor monitor,
            LossMonitor searchMonitor,
            ParallelismListener listener) {
        if (maxWorkers < 1) {
            throw new IllegalArgumentException("m̂ (workers) must be >= 1, got " + maxWorkers);
        }
        spec.check(maxWorkers);
        this.maxWorkers = maxWorkers;
        this.initialWorkers = spec.m0().orElse((maxWorkers + 1) / 2);
        this.ipFactor = spec.ip();
        this.dpFactor = spec.dp();
        this.window = spec.wp();
        this.monitor = Objects.requireNonNull(monitor, "loss monitor");
        this.searchMonitor = searchMonitor != null ? searchMonitor : monitor;
        this.listener = listener;
        this.baselineWorkers = spec.baseline();
        this.search = spec.search();
    }

    /**
     * Takes control of a run's active-worker bound (the run calls it once, before the workers start): sets it to m0
     * and starts the first probing phase.
     *
     * @param runClock seconds since the run's start, real or virtual: the time base of rates and of the trace
     */
    public void bind(ActiveWorkers workers, DoubleSupplier runClock) {
        if (workers.max() != maxWorkers) {
            throw new IllegalArgumentException(
                    "the run has " + workers.max() + " workers, the controller was built " + "for m̂ = " + maxWorkers);
        }
        while (!busy.compareAndSet(false, true)) {
            Thread.onSpinWait();
        }
        try {
            this.active = workers;
            this.clock = runClock;
            this.probe = new WindowProbe(search == ElasticSearch.LOG ? searchMonitor : monitor, runClock);
            trace.clear();
            accepted.set(0);
            firstProbe = true;
            probingPhases = 0;
            aboveFirst = false;
            if (search == ElasticSearch.LOG) {
                searching = true;
                probing = false;
                searchRates = "";
                probe.start(ladder(), 1);
                setLevel(probe.current(), 0);
                due(0, (long) dpFactor * probe.current());
            } else {
                searching = false;
                startProbing(initialWorkers, 0);
            }
        } finally {
            busy.set(false);
        }
    }

    @Override
    public void onStep(int worker, long ticket, boolean wasAccepted, long staleness, double scale, double loss) {
        if (!wasAccepted) {
            return;
        }
        long n = accepted.incrementAndGet();
        if (n < boundary || !busy.compareAndSet(false, true)) {
            return;
        }
        try {
            // re-read under busy: another worker may have made this transition since our check
            long now = accepted.get();
            if (active != null && now >= boundary) {
                transition(now);
            }
        } finally {
            busy.set(false);
        }
    }

    private void transition(long n) {
        if (searching) {
            if (probe.next() && probe.improved()) {
                setLevel(probe.current(), n);
                due(n, (long) dpFactor * probe.current());
                return;
            }
            searching = false;
            firstProbe = false;
            probingPhases++;
            probing = false;
            centre = probe.best();
            searchRates = probe.measured();
            if (searchMonitor != monitor) {
                probe = new WindowProbe(monitor, clock); // the windows compare the run's monitor
            }
            setLevel(centre, n);
            due(n, (long) ipFactor * centre);
            return;
        }
        if (!probing) {
            startProbing(centre, n);
            return;
        }
        if (probe.next()) {
            setLevel(probe.current(), n);
            due(n, (long) dpFactor * centre);
            return;
        }
        probingPhases++;
        int bestLevel = probe.best();
        if (firstProbe && bestLevel != centre) {
            startProbing(bestLevel, n); // the first probing phase repeats until the centre is best
            return;
        }
        firstProbe = false;
        probing = false;
        centre = bestLevel;
        setLevel(centre, n);
        due(n, (long) ipFactor * centre);
    }

    private void startProbing(int c, long n) {
        probing = true;
        centre = c;
        probe.start(window(c, aboveFirst), c);
        aboveFirst = !aboveFirst;
        setLevel(probe.current(), n);
        due(n, (long) dpFactor * c);
    }

    /** The levels of the log-scale search: 1, 2, 4, … below m̂, then m̂. */
    int[] ladder() {
        return WindowProbe.doubling(1, maxWorkers);
    }

    /**
     * The levels of a probing phase around c within [1, m̂]: c first, then c − 1 … c − W and c + 1 … c + W, the
     * side above first when {@code aboveFirst}.
     */
    int[] window(int c, boolean aboveFirst) {
        return WindowProbe.around(c, window, maxWorkers, aboveFirst);
    }

    private void setLevel(int m, long n) {
        if (active.get() != m) {
            active.set(m);
        }
        double now = clock.getAsDouble();
        trace.add(new Number[] {now, n, m});
        if (listener != null) {
            listener.changed(now, n, m);
        }
    }

    /** The next transition is due after {@code steps} more accepted steps (at least one). */
    private void due(long n, long steps) {
        boundary = n + Math.max(1, steps);
    }

    /** The controller's phase, level and trace (a checkpoint: workers paused between steps). */
    @Override
    public State checkpointState() {
        while (!busy.compareAndSet(false, true)) {
            Thread.onSpinWait(); // a transition in progress is the pausing worker's own: none is, in practice
        }
        try {
            return new State(
                    accepted.get(),
                    boundary,
                    probing,
                    searching,
                    firstProbe,
                    centre,
                    active.get(),
                    probingPhases,
                    aboveFirst,
                    probe.state(),
                    searchRates,
                    new ArrayList<>(trace));
        } finally {
            busy.set(false);
        }
    }

    /** Takes back {@link #checkpointState} after {@link #bind}, before the workers start. */
    @Override
    public void restoreState(State state) {
        accepted.set(state.accepted());
        boundary = state.boundary();
        probing = state.probing();
        // absent in checkpoints from before they existed:
        searching = Boolean.TRUE.equals(state.searching());
        firstProbe = state.firstProbe();
        centre = state.centre();
        probingPhases = state.probingPhases();
        aboveFirst = Boolean.TRUE.equals(state.aboveFirst());
        if (!searching && searchMonitor != monitor) {
            probe = new WindowProbe(monitor, clock);
        }
        probe.restore(state.probe());
        searchRates = state.searchRates() == null ? "" : state.searchRates();
        active.set(state.level());
        trace.clear();
        for (Number[] e : state.trace()) {
            trace.add(new Number[] {e[0].doubleValue(), e[1].longValue(), e[2].intValue()});
        }
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }

    /**
     * The checkpoint state: the phase, the counts, the probe's measurement and the trace ([[seconds, accepted, m],
     * …]). Boxed: absent in older checkpoints.
     */
    public record State(
            long accepted,
            long boundary,
            boolean probing,
            Boolean searching,
            boolean firstProbe,
            int centre,
            int level,
            long probingPhases,
            Boolean aboveFirst,
            WindowProbe.State probe,
            String searchRates,
            List<Number[]> trace) {}

    /** The active worker count the controller currently wants (read by tests and reports). */
    public int workers() {
        ActiveWorkers a = active;
        return a == null ? initialWorkers : a.get();
    }

    /** Probing phases completed so far. */
    long probingPhases() {
        return probingPhases;
    }

    public int maxWorkers() {
        return maxWorkers;
    }

    /**
     * The controller's report sections for the run just ended at {@code end} (its clock): the label
     * {@code elastic} when the dispatcher is plain async, {@code parallelism_trace}, {@code break_even} with a
     * baseline, {@code config.elastic_probing_phases}, {@code config.elastic_search} and, for the log search,
     * {@code config.elastic_search_rates} ("level:rate,…", loss change per second). Called after the workers stopped.
     */
    public void report(ReportBuilder report, double end) {
        if ("async".equals(report.algorithm())) {
            report.algorithm("elastic");
        }
        List<Number[]> t = new ArrayList<>(trace);
        report.parallelismTrace(t);
        if (baselineWorkers != null && !trace.isEmpty()) {
            report.breakEven(BreakEven.of(t, end, baselineWorkers));
        }
        report.config().put("elastic_probing_phases", probingPhases);
        report.config().put("elastic_search", search.name().toLowerCase(Locale.ROOT)); // also when built by hand
        if (search == ElasticSearch.LOG) {
            report.config().put("elastic_search_rates", searching ? probe.measured() : searchRates);
        }
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "elastic(m̂ %d, %s, I_P %d·m, D_P %d·m, W_P %d)",
                maxWorkers,
                search == ElasticSearch.LOG ? "log search" : "m0 " + initialWorkers,
                ipFactor,
                dpFactor,
                window);
    }
}
