package org.dl4jasync.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.Map;
import org.dl4jasync.dispatch.RoundBoard;
import org.dl4jasync.dispatch.RoundPolicy;

/**
 * One step on the {@link RoundState} entry at its owner: a submission's {@link #TAKE}, a member's workers joining or
 * leaving, a resumed run's policy ({@link #RESTORE}, taken only before the first round is entered). Returns {@code [round, tau, closedWith, k, s, meanLoss bits]} for a take (round −1: restart), {@code
 * [round, count]} when a leave completed the open round, else null. Its own backup processor (deterministic).
 */
final class RoundOp implements EntryProcessor<Integer, RoundState, long[]>, DataSerializable {
    static final byte TAKE = 0;
    static final byte JOIN = 1;
    static final byte LEAVE = 2;
    static final byte RESTORE = 3;

    private byte op;
    private long base;
    private double loss;
    private String member;
    private int workers;
    /** RESTORE only: a resumed run's policy. */
    private RoundPolicy policy;

    /** For deserialisation. */
    public RoundOp() {}

    static RoundOp take(long base, double loss) {
        RoundOp o = new RoundOp();
        o.op = TAKE;
        o.base = base;
        o.loss = loss;
        o.member = "";
        return o;
    }

    static RoundOp join(String member, int workers) {
        RoundOp o = new RoundOp();
        o.op = JOIN;
        o.member = member;
        o.workers = workers;
        return o;
    }

    /** {@code workers} &lt; 0: all of the member's. */
    static RoundOp leave(String member, int workers) {
        RoundOp o = new RoundOp();
        o.op = LEAVE;
        o.member = member;
        o.workers = workers;
        return o;
    }

    /** A resumed run's policy, taken when no round has been entered yet. */
    static RoundOp restore(RoundPolicy policy) {
        RoundOp o = new RoundOp();
        o.op = RESTORE;
        o.member = "";
        o.policy = policy;
        return o;
    }

    @Override
    public long[] process(Map.Entry<Integer, RoundState> entry) {
        RoundState r = entry.getValue();
        if (r == null) {
            throw new IllegalStateException("the training's rounds are missing: a member lost with no backup?");
        }
        long[] out = null;
        switch (op) {
            case TAKE -> {
                RoundBoard.Entry e = r.take(base, loss);
                out = new long[] {
                    e.round(), e.tau(), e.closedWith(), e.k(), e.s(), Double.doubleToRawLongBits(e.meanLoss())
                };
            }
            case JOIN -> r.join(member, workers);
            case LEAVE -> out = r.leave(member, workers);
            case RESTORE -> {
                if (r.open == 0 && r.count == 0) {
                    r.policy = policy;
                }
            }
            default -> throw new IllegalStateException("unknown round operation " + op);
        }
        entry.setValue(r);
        return out;
    }

    /** A take's answer as the board's entry. */
    static RoundBoard.Entry entry(long[] a) {
        return new RoundBoard.Entry(a[0], a[1], (int) a[2], (int) a[3], a[4], Double.longBitsToDouble(a[5]));
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByte(op);
        out.writeLong(base);
        out.writeDouble(loss);
        out.writeString(member);
        out.writeInt(workers);
        out.writeObject(policy);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        op = in.readByte();
        base = in.readLong();
        loss = in.readDouble();
        member = in.readString();
        workers = in.readInt();
        policy = in.readObject();
    }

    /** The payload of an operation, in bytes (a take's; joins and leaves carry a member's id instead). */
    static final long PAYLOAD_BYTES = 1 + Long.BYTES + Double.BYTES + 2 + Integer.BYTES;

    /** The payload of a take's answer, in bytes. */
    static final long ANSWER_BYTES = 6L * Long.BYTES;
}
