package org.dl4jasync.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.Map;

/**
 * One update's part for one shard: {@code θ[shard] ← θ[shard] − factor·update[shard]}, run by Hazelcast at the
 * shard's owner, atomically for the entry (one partition thread runs it; no lock of ours). The same processor is
 * the backup processor, so a backup receives the update (not the vector) and applies it in the same order as the
 * owner does (Hazelcast replays a partition's backup operations in the owner's order): the backup stays equal to the
 * primary.
 *
 * <p>The factor is fixed by the sender (the update's τ is known once its ticket is taken), so owner and backups
 * compute the same values.
 */
final class ApplyShard implements EntryProcessor<Integer, Shard, Void>, DataSerializable {
    private float[] update;
    private float factor;

    /** For deserialisation. */
    public ApplyShard() {}

    ApplyShard(float[] update, float factor) {
        this.update = update;
        this.factor = factor;
    }

    @Override
    public Void process(Map.Entry<Integer, Shard> entry) {
        Shard s = entry.getValue();
        if (s == null) {
            throw new IllegalStateException("shard " + entry.getKey() + " is missing: the store was not initialised "
                    + "or its map was destroyed (a member lost with no backup?)");
        }
        float[] v = s.values;
        if (v.length != update.length) {
            throw new IllegalStateException(
                    "shard " + entry.getKey() + " has " + v.length + " values, the update " + update.length);
        }
        float a = factor;
        for (int i = 0; i < v.length; i++) {
            v[i] -= a * update[i];
        }
        s.version++;
        entry.setValue(s); // with the OBJECT format this keeps the same object; it marks the entry as changed
        return null;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeFloat(factor);
        out.writeFloatArray(update);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        factor = in.readFloat();
        update = in.readFloatArray();
    }

    /** The payload this processor puts on the network, in bytes (its serialised fields). */
    static long payloadBytes(int values) {
        return Float.BYTES + Integer.BYTES + (long) Float.BYTES * values;
    }
}
