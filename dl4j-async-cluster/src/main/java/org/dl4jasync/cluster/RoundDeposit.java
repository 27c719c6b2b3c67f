package org.dl4jasync.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.Map;

/**
 * A round's step on one shard, at the shard's owner (atomically for the entry, as {@link ApplyShard}): a submission's
 * deposit ({@code factor · update} added to round {@code round}'s sum for this slice) or, with no update, the
 * round's seal (its number of submissions, {@code count}, sent by the process whose submission completed it). Either
 * may complete the round here, which is then applied in round order ({@link Shard#applyCompleteRounds}). Returns the
 * shard's version after it. Its own backup processor: the backups collect and apply the same rounds.
 */
final class RoundDeposit implements EntryProcessor<Integer, Shard, Long>, DataSerializable {
    private long round;
    private float factor;
    /** Null: a seal. */
    private float[] update;

    private int count;

    /** For deserialisation. */
    public RoundDeposit() {}

    static RoundDeposit deposit(long round, float[] update, float factor) {
        RoundDeposit d = new RoundDeposit();
        d.round = round;
        d.update = update;
        d.factor = factor;
        return d;
    }

    static RoundDeposit seal(long round, int count) {
        RoundDeposit d = new RoundDeposit();
        d.round = round;
        d.count = count;
        return d;
    }

    @Override
    public Long process(Map.Entry<Integer, Shard> entry) {
        Shard s = entry.getValue();
        if (s == null) {
            throw new IllegalStateException("shard " + entry.getKey() + " is missing: the store was not initialised "
                    + "or its map was destroyed (a member lost with no backup?)");
        }
        Shard.Pending p = s.pending(round);
        if (update == null) {
            p.expected = count;
        } else {
            if (update.length != p.sum.length) {
                throw new IllegalStateException(
                        "shard " + entry.getKey() + " has " + p.sum.length + " values, the deposit " + update.length);
            }
            float a = factor;
            float[] sum = p.sum;
            for (int i = 0; i < sum.length; i++) {
                sum[i] += a * update[i];
            }
            p.received++;
        }
        s.applyCompleteRounds();
        entry.setValue(s); // the same object with the OBJECT format; marks the entry as changed
        return s.version;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(round);
        out.writeInt(count);
        out.writeFloat(factor);
        out.writeFloatArray(update);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        round = in.readLong();
        count = in.readInt();
        factor = in.readFloat();
        update = in.readFloatArray();
    }

    /** The payload of a deposit of {@code values} floats, in bytes (its serialised fields). */
    static long depositBytes(int values) {
        return Long.BYTES + 2L * Integer.BYTES + Float.BYTES + (long) Float.BYTES * values;
    }

    /** The payload of a seal, in bytes. */
    static final long SEAL_BYTES = Long.BYTES + 2L * Integer.BYTES + Float.BYTES;
}
