package org.dl4jasync.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;

/**
 * One step of {@link SspState}'s protocol at the entry's owner (and, as its own backup processor, on the backups):
 * register a member's workers (→ first slot), may-start, start (→ spread or −1), applied, bench a slot, bench a
 * member's slots.
 */
final class SspOp implements EntryProcessor<Integer, SspState, Long>, DataSerializable {
    static final byte REGISTER = 0;
    static final byte MAY_START = 1;
    static final byte START = 2;
    static final byte APPLIED = 3;
    static final byte BENCH = 4;
    static final byte BENCH_MEMBER = 5;

    private byte op;
    /** The slot, or the worker count (register). */
    private int slot;

    private int slack;
    /** The member (register, bench member), or null. */
    private UUID member;

    /** For deserialisation. */
    public SspOp() {}

    SspOp(byte op, int slot, int slack, UUID member) {
        this.op = op;
        this.slot = slot;
        this.slack = slack;
        this.member = member;
    }

    @Override
    public Long process(Map.Entry<Integer, SspState> entry) {
        SspState s = entry.getValue();
        if (s == null) {
            if (op != REGISTER) {
                throw new IllegalStateException("the SSP clocks are missing: a member was lost with no backup of them");
            }
            s = new SspState();
        }
        long result = 0;
        switch (op) {
            case REGISTER -> result = s.register(member, slot);
            case MAY_START -> {
                return s.mayStart(slot, slack) ? 1L : 0L; // reads only
            }
            case START -> result = s.start(slot, slack);
            case APPLIED -> s.applied(slot);
            case BENCH -> s.bench(slot);
            case BENCH_MEMBER -> s.benchMember(member);
            default -> throw new IllegalStateException("SSP operation " + op);
        }
        entry.setValue(s);
        return result;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByte(op);
        out.writeInt(slot);
        out.writeInt(slack);
        out.writeBoolean(member != null);
        if (member != null) {
            out.writeLong(member.getMostSignificantBits());
            out.writeLong(member.getLeastSignificantBits());
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        op = in.readByte();
        slot = in.readInt();
        slack = in.readInt();
        member = in.readBoolean() ? new UUID(in.readLong(), in.readLong()) : null;
    }
}
