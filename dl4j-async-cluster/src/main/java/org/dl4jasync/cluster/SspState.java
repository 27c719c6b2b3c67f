package org.dl4jasync.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.Arrays;
import java.util.UUID;

/**
 * Stale Synchronous Parallel's shared state for every process of a cluster training (Ho et al., NeurIPS 2013,
 * Section 2, as the in-process {@code SspDispatcher}): one clock per worker of every member, in one map entry. A
 * worker at clock c may start a step only while c − (smallest clock of the workers that count) ≤ s. Each method is
 * one atomic step at the entry's owner ({@link SspOp}), so the in-process dispatcher's scans of racy clocks become
 * exact here.
 *
 * <p>Slots: a member registers its workers once and gets the next slots; a worker that stops for good (its run
 * ended, its data ended, its member was lost) is benched and no longer holds anyone back; a benched worker that
 * starts again rejoins at the slowest clock.
 */
final class SspState implements DataSerializable {
    long[] clocks = new long[0];
    boolean[] benched = new boolean[0];
    /** The member of each slot. */
    UUID[] owners = new UUID[0];

    /** For deserialisation. */
    public SspState() {}

    /** The first of {@code workers} new slots for {@code member}'s workers. */
    int register(UUID member, int workers) {
        long start = minClock(-1);
        int base = clocks.length;
        int n = base + workers;
        clocks = Arrays.copyOf(clocks, n);
        benched = Arrays.copyOf(benched, n);
        owners = Arrays.copyOf(owners, n);
        for (int i = base; i < n; i++) {
            clocks[i] = start == Long.MAX_VALUE ? 0 : start; // a late member starts at the slowest clock
            owners[i] = member;
        }
        return base;
    }

    /** The smallest clock of the workers that count other than {@code except}; Long.MAX_VALUE when none counts. */
    long minClock(int except) {
        long min = Long.MAX_VALUE;
        for (int v = 0; v < clocks.length; v++) {
            if (v != except && !benched[v] && clocks[v] < min) {
                min = clocks[v];
            }
        }
        return min;
    }

    /** Whether slot {@code w} may start a step now (a benched one rejoins). */
    boolean mayStart(int w, int slack) {
        return benched[w] || clocks[w] - minClock(-1) <= slack;
    }

    /** Slot {@code w} starts a step: the clock spread it starts at (≤ slack), or −1: not now. */
    long start(int w, int slack) {
        if (benched[w]) { // rejoining: at the slowest clock, never behind it
            long others = minClock(w);
            if (others != Long.MAX_VALUE && others > clocks[w]) {
                clocks[w] = others;
            }
            benched[w] = false;
        }
        long spread = clocks[w] - minClock(-1);
        return spread > slack ? -1 : spread;
    }

    /** Slot {@code w}'s step is complete: its clock advances. */
    void applied(int w) {
        clocks[w]++;
    }

    /** Slot {@code w} stops counting. */
    void bench(int w) {
        benched[w] = true;
    }

    /** Every slot of {@code member} stops counting (its run ended, or it was lost). */
    void benchMember(UUID member) {
        for (int v = 0; v < owners.length; v++) {
            if (member.equals(owners[v])) {
                benched[v] = true;
            }
        }
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(clocks.length);
        for (int v = 0; v < clocks.length; v++) {
            out.writeLong(clocks[v]);
            out.writeBoolean(benched[v]);
            out.writeLong(owners[v].getMostSignificantBits());
            out.writeLong(owners[v].getLeastSignificantBits());
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        int n = in.readInt();
        clocks = new long[n];
        benched = new boolean[n];
        owners = new UUID[n];
        for (int v = 0; v < n; v++) {
            clocks[v] = in.readLong();
            benched[v] = in.readBoolean();
            owners[v] = new UUID(in.readLong(), in.readLong());
        }
    }
}
