package org.dl4jasync.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.Map;

/**
 * One step of {@link IntervalState}'s protocol, run at the entry's owner (atomically for the entry) and, as its own
 * backup processor, on the backups in the same order: start (→ stamp), finish (stamp → interval index or −1) or
 * applied (interval index).
 */
final class IntervalOp implements EntryProcessor<Integer, IntervalState, Long>, DataSerializable {
    static final byte START = 0;
    static final byte FINISH = 1;
    static final byte APPLIED = 2;

    private byte op;
    private long arg;

    /** For deserialisation. */
    public IntervalOp() {}

    IntervalOp(byte op, long arg) {
        this.op = op;
        this.arg = arg;
    }

    @Override
    public Long process(Map.Entry<Integer, IntervalState> entry) {
        IntervalState s = entry.getValue();
        if (s == null) {
            throw new IllegalStateException("the interval state is missing: a member was lost with no backup of it");
        }
        long result;
        switch (op) {
            case START -> result = s.start();
            case FINISH -> result = s.finish(arg);
            case APPLIED -> {
                s.applied(arg);
                result = 0;
            }
            default -> throw new IllegalStateException("interval operation " + op);
        }
        entry.setValue(s);
        return result;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByte(op);
        out.writeLong(arg);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        op = in.readByte();
        arg = in.readLong();
    }

    /** The payload this processor puts on the network, in bytes. */
    static final long PAYLOAD_BYTES = 1 + Long.BYTES;
}
