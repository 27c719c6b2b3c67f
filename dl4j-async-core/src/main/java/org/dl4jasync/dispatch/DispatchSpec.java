package org.dl4jasync.dispatch;

import static org.dl4jasync.spec.Checks.atLeast;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.DoubleSupplier;
import java.util.function.IntFunction;
import org.dl4jasync.metrics.LossMonitor;
import org.dl4jasync.spec.InvalidOptionException;

/**
 * How a run's workers are coordinated: one record per algorithm, holding exactly that algorithm's options. Each record
 * checks its values when it is built ({@link InvalidOptionException} naming the report key), the ones that depend on
 * the worker count in {@link #check(int)}, writes its report keys in {@link #provenance} and creates its dispatcher
 * (or the round policy of the round-based ones) afresh for every run. An option of one algorithm cannot be given to
 * another: there is no field for it.
 *
 * <p>The report's {@code config} keeps every key it had before the options were typed (the interval keys with their
 * defaults for the other algorithms, the bounded-staleness keys null), so suites and their results read as before.
 */
public sealed interface DispatchSpec
        permits DispatchSpec.Sequential,
                DispatchSpec.Sync,
                DispatchSpec.Async,
                DispatchSpec.Interval,
                DispatchSpec.Bounded,
                DispatchSpec.Ssp,
                RoundSpec {
    /** The report's {@code algorithm} (and the command line's {@code --algorithm}). */
    String key();

    /** The rules that need the run's worker count {@code m}; called when the run's configuration is built. */
    default void check(int m) {}

    /** Whether the dispatcher reads the loss (y-probing and the auto-y0 search). */
    default boolean readsLoss() {
        return false;
    }

    /** Whether updates carry staleness (every algorithm but sequential and sync). */
    default boolean asynchronous() {
        return true;
    }

    /**
     * One run's dispatcher for {@code m} workers; null for the round-based algorithms (the engine's rounds dispatch).
     *
     * @param monitor what the probing windows compare (null unless {@link #readsLoss})
     * @param search  what the search at the start compares (the auto-y0 search)
     */
    default Dispatcher dispatcher(int m, LossMonitor monitor, LossMonitor search, DoubleSupplier clock) {
        return new AsyncDispatcher(m);
    }

    /** K-async and ABS: one run's round policy; else null. */
    default RoundPolicy roundPolicy(int m) {
        return null;
    }

    /** Local SGD steps per submission (K-async, ABS; 1 otherwise). */
    default int localSteps() {
        return 1;
    }

    /** This algorithm's report keys and values into {@code c}, for a run of {@code m} workers. */
    default void provenance(Map<String, Object> c, int m) {}

    /** One line for a human, e.g. {@code bounded(B 8)}. */
    default String describe(int m) {
        return key();
    }

    /** The report keys of every algorithm, in their order, with the values of {@code spec} for {@code m} workers. */
    static void provenance(DispatchSpec spec, Map<String, Object> c, int m) {
        c.put("dispatcher", spec instanceof Async a && a.custom() != null ? "custom" : null);
        Interval.DEFAULT.provenance(c, m); // the interval keys with their defaults, for every algorithm
        c.put("max_staleness", null);
        c.put("ssp_slack", null);
        c.put("kasync_k", null);
        c.put("local_steps", spec.localSteps());
        c.put("round_policy", null);
        c.put("kasync_adaptive", null);
        c.put("abs_k0", null);
        c.put("abs_c", null);
        spec.provenance(c, m);
    }

    /** The default K of K-async and K0 of ABS for m workers: ⌈m/4⌉. */
    static int defaultK(int workers) {
        return (workers + 3) / 4;
    }

    // ---- the algorithms

    /** One worker: the equivalent of {@code MultiLayerNetwork.fit}, through the same trainer and report. */
    record Sequential() implements DispatchSpec {
        @Override
        public String key() {
            return "sequential";
        }

        @Override
        public boolean asynchronous() {
            return false;
        }
    }

    /** Synchronous data-parallel: m gradients on the same θ, averaged, one update per round (the papers' "Sync"). */
    record Sync() implements DispatchSpec {
        @Override
        public String key() {
            return "sync";
        }

        @Override
        public boolean asynchronous() {
            return false;
        }

        @Override
        public Dispatcher dispatcher(int m, LossMonitor monitor, LossMonitor search, DoubleSupplier clock) {
            return null;
        }
    }

    /**
     * Plain asynchronous SGD: every update accepted. {@code custom}: a dispatcher of the library user's, created per
     * run from the worker count (null: the built-in one); reported as {@code dispatcher: custom}.
     */
    record Async(IntFunction<Dispatcher> custom) implements DispatchSpec {
        /** The built-in plain async dispatcher. */
        public Async() {
            this(null);
        }

        @Override
        public String key() {
            return "async";
        }

        @Override
        public Dispatcher dispatcher(int m, LossMonitor monitor, LossMonitor search, DoubleSupplier clock) {
            return custom != null ? custom.apply(m) : new AsyncDispatcher(m);
        }
    }

    /**
     * Interval-Asynchrony (IntervalDispatcher): asynchronous within intervals of y accepted steps.
     *
     * @param y0       the first interval's size; empty: chosen by the auto-y0 search ({@link AutoYPolicy})
     * @param schedule how y evolves
     */
    record Interval(OptionalInt y0, IntervalSchedule schedule) implements DispatchSpec {
        public static final int DEFAULT_Y0 = 64;
        /** y0 = 64, fixed. */
        public static final Interval DEFAULT = new Interval(OptionalInt.of(DEFAULT_Y0), new IntervalSchedule.Fixed());
        /**
         * Finished steps per candidate of the auto-y0 search, in multiples of the worker count: 4 step times (twice
         * as many made the search a large share of a short run; RESULTS.md, "Choosing y0").
         */
        static final int AUTO_PHASE_PER_WORKER = 4;

        public Interval {
            Objects.requireNonNull(y0, "y0");
            Objects.requireNonNull(schedule, "schedule");
            y0.ifPresent(y -> atLeast("interval_y", y, 1, "an integer >= 1 or 'auto'"));
            if (schedule instanceof IntervalSchedule.Decay d && y0.isPresent() && d.min() > y0.getAsInt()) {
                throw new InvalidOptionException("y_min", d.min(), "at most {interval_y} (" + y0.getAsInt() + ")");
            }
        }

        /** A fixed y0 with the given schedule. */
        public static Interval of(int y0, IntervalSchedule schedule) {
            return new Interval(OptionalInt.of(y0), schedule);
        }

        /** A fixed y0, fixed. */
        public static Interval fixed(int y0) {
            return of(y0, new IntervalSchedule.Fixed());
        }

        /** y0 chosen by the auto-y0 search, then the given schedule. */
        public static Interval auto(IntervalSchedule schedule) {
            return new Interval(OptionalInt.empty(), schedule);
        }

        @Override
        public String key() {
            return "interval";
        }

        @Override
        public boolean readsLoss() {
            return y0.isEmpty() || schedule instanceof IntervalSchedule.Probe;
        }

        @Override
        public Dispatcher dispatcher(int m, LossMonitor monitor, LossMonitor search, DoubleSupplier clock) {
            return new IntervalDispatcher(
                    m,
                    y0.isPresent()
                            ? schedule.policy(y0.getAsInt(), monitor, clock)
                            : new AutoYPolicy(
                                    m,
                                    (long) AUTO_PHASE_PER_WORKER * m,
                                    search,
                                    clock,
                                    y -> schedule.policy(y, monitor, clock)));
        }

        @Override
        public void provenance(Map<String, Object> c, int m) {
            c.put("interval_y", y0.isPresent() ? (Object) y0.getAsInt() : "auto");
            c.put("interval_policy", schedule.key());
            IntervalSchedule.Decay d =
                    schedule instanceof IntervalSchedule.Decay given ? given : IntervalSchedule.Decay.DEFAULT;
            c.put("y_decay_amount", d.amount());
            c.put("y_decay_every", d.every());
            c.put("y_min", d.min());
            IntervalSchedule.Probe p =
                    schedule instanceof IntervalSchedule.Probe given ? given : IntervalSchedule.Probe.DEFAULT;
            c.put("probe_window", p.window());
            c.put("probe_step", p.step());
            c.put("probe_steps", p.steps());
            c.put("probe_exec", p.exec());
        }

        @Override
        public String describe(int m) {
            return "interval(" + schedule.key() + ", y0 " + (y0.isPresent() ? y0.getAsInt() : "auto") + ")";
        }
    }

    /** Asynchronous; an update whose staleness would exceed B is rejected. Empty: B = the worker count. */
    record Bounded(OptionalLong maxStaleness) implements DispatchSpec {
        public Bounded {
            Objects.requireNonNull(maxStaleness, "maxStaleness");
            maxStaleness.ifPresent(b -> atLeast("max_staleness", b, 0, "an integer >= 0"));
        }

        public static Bounded of(long b) {
            return new Bounded(OptionalLong.of(b));
        }

        long bound(int m) {
            return maxStaleness.orElse(m);
        }

        @Override
        public String key() {
            return "bounded";
        }

        @Override
        public Dispatcher dispatcher(int m, LossMonitor monitor, LossMonitor search, DoubleSupplier clock) {
            return AsyncDispatcher.bounded(m, bound(m));
        }

        @Override
        public void provenance(Map<String, Object> c, int m) {
            c.put("max_staleness", bound(m));
        }

        @Override
        public String describe(int m) {
            return "bounded(B " + bound(m) + ")";
        }
    }

    /** Stale Synchronous Parallel: a worker may run at most {@code slack} steps ahead of the slowest active one. */
    record Ssp(int slack) implements DispatchSpec {
        public static final int DEFAULT_SLACK = 3;

        public Ssp {
            atLeast("ssp_slack", slack, 0, "an integer >= 0");
        }

        @Override
        public String key() {
            return "ssp";
        }

        @Override
        public Dispatcher dispatcher(int m, LossMonitor monitor, LossMonitor search, DoubleSupplier clock) {
            return new SspDispatcher(m, slack);
        }

        @Override
        public void provenance(Map<String, Object> c, int m) {
            c.put("ssp_slack", slack);
        }

        @Override
        public String describe(int m) {
            return "ssp(s " + slack + ")";
        }
    }
}
