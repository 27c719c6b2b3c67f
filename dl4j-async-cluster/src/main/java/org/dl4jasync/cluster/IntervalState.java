package org.dl4jasync.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.dl4jasync.dispatch.IntervalPolicy;
import org.dl4jasync.dispatch.IntervalSchedule;

/**
 * Interval-Asynchrony's shared state for every process of a cluster training: the {@code IntervalDispatcher}'s
 * counters (Garby and Tsigas, Euro-Par 2025, Algorithm 2, with that class's deviation: an interval ends when its y-th
 * accepted update has been applied, which makes τ ≤ y − 1 hard) in one map entry. Each method is one atomic step:
 * Hazelcast runs the entry's processors ({@link IntervalOp}) one at a time at its owner, so the CAS loops of the
 * in-process dispatcher become plain updates here. The step's start stamp plays the in-process ticket's part in the
 * rule (the batch is chosen by the process's own ticket).
 *
 * <p>The schedule (fixed or decay) is a function of the accepted count, so the owner computes the next y itself with
 * the core's {@link IntervalSchedule} policy; schedules that read a loss (probe, auto y0) are not offered across
 * processes.
 */
final class IntervalState implements DataSerializable {
    /** Steps started in the whole cluster (the next stamp). */
    long started;
    /** The current interval's first stamp: a step stamped before it is rejected. */
    long first;
    /** The current interval's size, index, accepted and applied counts. */
    int y;

    long index;
    int accepted;
    int applied;
    /** Accepted (and applied) updates of ended intervals and the current one, applied so far. */
    long acceptedTotal;
    // the schedule: y0, and for decay its amount, period and minimum (amount 0: fixed)
    int y0;
    int amount;
    long every;
    int min;
    /** [[accepted so far, y]] at each interval's start. */
    List<long[]> trace = new ArrayList<>();

    private transient IntervalPolicy policy;

    /** For deserialisation. */
    public IntervalState() {}

    IntervalState(int y0, IntervalSchedule schedule) {
        this.y0 = y0;
        if (schedule instanceof IntervalSchedule.Decay d) {
            amount = d.amount();
            every = d.every();
            min = d.min();
        } else if (!(schedule instanceof IntervalSchedule.Fixed)) {
            throw new IllegalArgumentException("schedule " + schedule.key() + " is not offered across processes");
        }
        this.y = policy().initialY();
        trace.add(new long[] {0, y});
    }

    private IntervalPolicy policy() {
        if (policy == null) {
            policy = amount == 0
                    ? new IntervalSchedule.Fixed().policy(y0, null, null)
                    : new IntervalSchedule.Decay(amount, every, min).policy(y0, null, null);
        }
        return policy;
    }

    /** Whether {@code other} runs the same schedule (every member must). */
    boolean sameSchedule(IntervalState other) {
        return y0 == other.y0 && amount == other.amount && every == other.every && min == other.min;
    }

    /** A step starts: its stamp. */
    long start() {
        return started++;
    }

    /** The index of the interval that accepts the step stamped {@code stamp}, or −1: rejected. */
    long finish(long stamp) {
        if (stamp < first || accepted >= y) {
            return -1;
        }
        accepted++;
        return index;
    }

    /**
     * An update accepted in interval {@code in} is in the parameters; the y-th of the interval ends it and starts the
     * next, from the steps started so far.
     */
    void applied(long in) {
        if (in != index) {
            throw new IllegalStateException("an update of interval " + in + " applied in interval " + index
                    + ": an interval ended before all its accepted updates were applied");
        }
        acceptedTotal++;
        if (++applied == y) {
            int next = policy().nextY(y, acceptedTotal);
            if (next < 1) {
                throw new IllegalStateException("interval policy returned y = " + next);
            }
            y = next;
            index++;
            first = started;
            accepted = 0;
            applied = 0;
            trace.add(new long[] {acceptedTotal, y});
        }
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(started);
        out.writeLong(first);
        out.writeInt(y);
        out.writeLong(index);
        out.writeInt(accepted);
        out.writeInt(applied);
        out.writeLong(acceptedTotal);
        out.writeInt(y0);
        out.writeInt(amount);
        out.writeLong(every);
        out.writeInt(min);
        writeTrace(out, trace);
    }

    /** A trace of [accepted, y] points, as {@link #readTrace} reads it. */
    static void writeTrace(ObjectDataOutput out, List<long[]> trace) throws IOException {
        out.writeInt(trace.size());
        for (long[] t : trace) {
            out.writeLong(t[0]);
            out.writeLong(t[1]);
        }
    }

    static List<long[]> readTrace(ObjectDataInput in) throws IOException {
        int n = in.readInt();
        List<long[]> trace = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            trace.add(new long[] {in.readLong(), in.readLong()});
        }
        return trace;
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        started = in.readLong();
        first = in.readLong();
        y = in.readInt();
        index = in.readLong();
        accepted = in.readInt();
        applied = in.readInt();
        acceptedTotal = in.readLong();
        y0 = in.readInt();
        amount = in.readInt();
        every = in.readLong();
        min = in.readInt();
        trace = readTrace(in);
    }
}
