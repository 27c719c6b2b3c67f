package org.dl4jasync.dispatch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.dl4jasync.checkpoint.CheckpointStates;
import org.dl4jasync.checkpoint.Checkpointable;
import org.dl4jasync.metrics.ReportBuilder;
import org.dl4jasync.metrics.StepListener;

/**
 * Interval-Asynchrony (J. Garby, P. Tsigas, "Interval-Asynchrony: Delimited Intervals of Localised Asynchrony for
 * Fast Parallel SGD", Euro-Par 2025, Algorithm 2). Training runs in intervals of y accepted steps; a step is
 * accepted only if it started in the current interval and the interval is not full; the step that fills it starts
 * the next interval, whose size the {@link IntervalPolicy} chooses. Lock-free.
 *
 * <p>Deviation, to make the staleness bound hard: the reference ends an interval when its y-th step is
 * <em>accepted</em>, so an accepted update of interval k can still be applied after readers of interval k+1 have
 * read, and its τ bound is only nearly hard. Here an interval ends when its y-th accepted update has been
 * <em>applied</em> ({@link #afterApply}); only then is {@code I_first} set to the tickets started so far. A step of
 * the new interval therefore started after every update of the old one was in the parameters, and at most k updates
 * of its own interval precede its own (k &lt; y), so <b>every applied update in an interval of size y has τ ≤ y − 1</b>.
 * Steps that start between the y-th acceptance and the end have tickets below the new {@code I_first} and are
 * rejected. Rejected gradients are never applied (the trainer applies only accepted ones).
 *
 * <p>Shared-field protocols: {@link #current} is replaced only by the thread whose {@code afterApply} brings the
 * interval's applied count to y (exactly one thread); an {@link Interval}'s {@code accepted} only grows, by CAS,
 * while below y, so a replaced interval (full) accepts nothing more; {@code applied} counts afterApply calls of
 * steps accepted in it. {@link #started} is the ticket counter (s_started).
 */
public final class IntervalDispatcher implements Dispatcher, StepListener, Checkpointable<IntervalDispatcher.State> {

    /** One interval: immutable bounds, atomic counters. Allocated once per interval, not per step. */
    static final class Interval {
        final long first;
        final int y;
        final long index;
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger applied = new AtomicInteger();

        Interval(long first, int y, long index) {
            this.first = first;
            this.y = y;
            this.index = index;
        }
    }

    /** Receives each new interval (for the report's interval trace). Called by the thread that ended the previous one. */
    @FunctionalInterface
    public interface IntervalListener {
        void onInterval(long index, long acceptedSteps, int y);
    }

    private final AtomicLong started = new AtomicLong();
    private final AtomicReference<Interval> current;
    private final AtomicLong acceptedTotal = new AtomicLong();
    private final IntervalPolicy policy;
    private final ActiveWorkers active;
    private final IntervalListener listener;
    /** The policy when it observes steps (auto y0 measures staleness), else null. */
    private final StepListener policySteps;

    private final List<long[]> trace = Collections.synchronizedList(new ArrayList<>());
    /** acceptedIn[w]: the interval that accepted worker w's current step; written and read by worker w only. */
    private final Interval[] acceptedIn;

    /** @param listener told every new interval, or null (the report's interval trace is kept in any case) */
    public IntervalDispatcher(int workers, IntervalPolicy policy, IntervalListener listener) {
        this.active = new ActiveWorkers(workers);
        this.policy = policy;
        this.policySteps = policy instanceof StepListener ? (StepListener) policy : null;
        this.listener = listener == null ? (i, a, y) -> {} : listener;
        this.acceptedIn = new Interval[workers];
        int y0 = checkY(policy.initialY());
        this.current = new AtomicReference<>(new Interval(0, y0, 0));
        started(0, 0, y0);
    }

    public IntervalDispatcher(int workers, IntervalPolicy policy) {
        this(workers, policy, null);
    }

    private void started(long index, long accepted, int y) {
        trace.add(new long[] {accepted, y});
        listener.onInterval(index, accepted, y);
    }

    private static int checkY(int y) {
        if (y < 1) {
            throw new IllegalStateException("interval policy returned y = " + y + "; y must be >= 1");
        }
        return y;
    }

    @Override
    public long tryStartStep(int worker) {
        if (!active.allows(worker)) {
            return NOT_NOW;
        }
        return started.getAndIncrement();
    }

    /**
     * Accepts iff the step started in the current interval and the interval has room. CAS loop invariant:
     * {@code a < iv.y} for the value replaced, so an interval never accepts more than y steps; a replaced
     * interval is full, so a stale {@code iv} can only reject.
     */
    @Override
    public boolean finishStep(int worker, long ticket) {
        Interval iv = current.get();
        if (ticket < iv.first) {
            return false;
        }
        for (; ; ) {
            int a = iv.accepted.get();
            if (a >= iv.y) {
                return false;
            }
            if (iv.accepted.compareAndSet(a, a + 1)) {
                acceptedIn[worker] = iv;
                return true;
            }
        }
    }

    /** Counts the applied update; the y-th of an interval ends it and starts the next. */
    @Override
    public void afterApply(int worker, long ticket) {
        Interval iv = acceptedIn[worker];
        acceptedIn[worker] = null;
        long total = acceptedTotal.incrementAndGet();
        if (iv.applied.incrementAndGet() == iv.y) {
            int y = checkY(policy.nextY(iv.y, total));
            Interval next = new Interval(started.get(), y, iv.index + 1);
            current.set(next);
            started(next.index, total, y);
        }
    }

    /** Forwards every step to a policy that observes steps (the run calls this for every finished step). */
    @Override
    public void onStep(int worker, long ticket, boolean accepted, long staleness, double scale, double loss) {
        if (policySteps != null) {
            policySteps.onStep(worker, ticket, accepted, staleness, scale, loss);
        }
    }

    /**
     * The current interval's size and index, the accepted count, the trace and the policy's state (a checkpoint,
     * workers paused between steps).
     */
    @Override
    public State checkpointState() {
        Interval iv = current.get();
        List<long[]> t;
        synchronized (trace) {
            t = new ArrayList<>(trace);
        }
        // applied = accepted: with every worker between steps none is in flight
        return new State(iv.y, iv.index, iv.applied.get(), acceptedTotal.get(), t, CheckpointStates.of(policy));
    }

    /**
     * A resumed run goes on in the checkpoint's interval, with its size, index and count of applied updates; its
     * first ticket is the resumed run's first (the interval's updates before the checkpoint are in the parameters
     * every new step reads, so the bound τ ≤ y − 1 holds as in any interval).
     */
    @Override
    public void restoreState(State state) {
        CheckpointStates.restore(policy, state.policy());
        acceptedTotal.set(state.acceptedTotal());
        Interval iv = new Interval(0, checkY(state.y()), state.index());
        iv.accepted.set(state.applied());
        iv.applied.set(state.applied());
        current.set(iv);
        synchronized (trace) {
            trace.clear();
            trace.addAll(state.trace());
        }
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }

    /**
     * The checkpoint state: the current interval, the accepted count, the trace ([[accepted, y], …]) and the
     * policy's own state ({@link CheckpointStates}; null: a policy without state).
     */
    public record State(
            int y, long index, int applied, long acceptedTotal, List<long[]> trace, Map<String, Object> policy) {}

    /** Size of the current interval. */
    int currentY() {
        return current.get().y;
    }

    /** Intervals ended so far. */
    long intervalsCompleted() {
        return current.get().index;
    }

    @Override
    public long started() {
        return started.get();
    }

    /** Label {@code interval}, {@code interval_trace} [[accepted_steps, y], …] and {@code intervals_completed}. */
    @Override
    public void report(ReportBuilder report) {
        report.algorithm("interval");
        synchronized (trace) {
            report.intervalTrace(new ArrayList<>(trace));
        }
        report.intervalsCompleted(intervalsCompleted());
        policy.report(report);
    }

    @Override
    public ActiveWorkers active() {
        return active;
    }
}
