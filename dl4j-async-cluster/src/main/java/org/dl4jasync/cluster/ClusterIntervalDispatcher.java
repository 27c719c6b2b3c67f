package org.dl4jasync.cluster;

import com.hazelcast.map.IMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.dl4jasync.checkpoint.Checkpointable;
import org.dl4jasync.dispatch.ActiveWorkers;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.dispatch.IntervalSchedule;
import org.dl4jasync.metrics.ReportBuilder;

/**
 * Interval-Asynchrony across the processes of a cluster training: every process's dispatcher works on one
 * {@link IntervalState} entry, so the intervals, their counts and the bound <b>τ ≤ y − 1 hold for the updates of all
 * processes together</b> (τ measured on the store's clock, which every update of every process takes once). The
 * argument is the in-process one: an interval ends only once its y accepted updates are applied, i.e. in every
 * shard and on the clock; a step stamped after that read after it, and at most y − 1 other updates of its own
 * interval take the clock before its own.
 *
 * <p>Costs three calls to the entry's owner per step (start, finish, applied) beside the store's. The batch of a step
 * is chosen by this process's own ticket (each member reads its own copy of the data in its own seeded order).
 *
 * <p>Per-worker fields ({@link #stamp}, {@link #acceptedIn}) are written and read by their worker only.
 */
final class ClusterIntervalDispatcher implements Dispatcher, Checkpointable<ClusterIntervalDispatcher.State> {
    private final IMap<Integer, IntervalState> map;
    private final ClusterCalls calls;
    private final ActiveWorkers active;
    /** This process's tickets (its batches); one getAndIncrement per started step. */
    private final AtomicLong tickets = new AtomicLong();

    private final long[] stamp;
    private final long[] acceptedIn;

    ClusterIntervalDispatcher(ClusterCalls calls, String name, int workers, int y0, IntervalSchedule schedule) {
        this.calls = calls;
        this.active = new ActiveWorkers(workers);
        this.stamp = new long[workers];
        this.acceptedIn = new long[workers];
        calls.configureMap(name);
        this.map = calls.hazelcast.getMap(name);
        IntervalState mine = new IntervalState(y0, schedule);
        IntervalState theirs = map.putIfAbsent(0, mine);
        if (theirs != null && !theirs.sameSchedule(mine)) {
            throw new IllegalStateException("the cluster's interval schedule (y0 " + theirs.y0 + ", decay "
                    + theirs.amount
                    + "/" + theirs.every + " to " + theirs.min + ") is not this member's (y0 " + y0 + ", " + schedule
                    + "): every member must run the same algorithm");
        }
    }

    static ClusterIntervalDispatcher create(ClusterStore store, int workers, int y0, IntervalSchedule schedule) {
        return new ClusterIntervalDispatcher(
                new ClusterCalls(store.member(), store.timeout(), store.backups(), false),
                store.name() + ".interval",
                workers,
                y0,
                schedule);
    }

    private long call(byte op, long arg, String what) {
        return calls.await(map.submitToKey(0, new IntervalOp(op, arg)).toCompletableFuture(), what);
    }

    @Override
    public long tryStartStep(int worker) {
        if (!active.allows(worker)) {
            return NOT_NOW;
        }
        stamp[worker] = call(IntervalOp.START, 0, "starting a step");
        return tickets.getAndIncrement();
    }

    @Override
    public boolean finishStep(int worker, long ticket) {
        long in = call(IntervalOp.FINISH, stamp[worker], "finishing a step");
        acceptedIn[worker] = in;
        return in >= 0;
    }

    @Override
    public void afterApply(int worker, long ticket) {
        call(IntervalOp.APPLIED, acceptedIn[worker], "ending a step");
    }

    @Override
    public long started() {
        return tickets.get();
    }

    /** Label {@code interval}; the cluster's interval trace and count (every process's steps). */
    @Override
    public void report(ReportBuilder report) {
        report.algorithm("interval");
        IntervalState s = calls.await(map.getAsync(0).toCompletableFuture(), "reading the intervals");
        report.intervalTrace(s.trace);
        report.intervalsCompleted(s.index);
    }

    @Override
    public ActiveWorkers active() {
        return active;
    }

    /** What a checkpoint keeps of the cluster's intervals: the current size and index, the accepted count, the trace. */
    public record State(int y, long index, long acceptedTotal, List<long[]> trace) {}

    /** The cluster's intervals as they are now (this member's workers paused; the others' go on). */
    @Override
    public State checkpointState() {
        IntervalState s = calls.await(map.getAsync(0).toCompletableFuture(), "reading the intervals");
        return new State(s.y, s.index, s.acceptedTotal, s.trace);
    }

    /** A resumed training goes on in the checkpoint's interval (when it is the first member to resume). */
    @Override
    public void restoreState(State state) {
        calls.await(
                map.submitToKey(0, new IntervalRestore(state.y(), state.index(), state.acceptedTotal(), state.trace()))
                        .toCompletableFuture(),
                "restoring the intervals");
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }
}
