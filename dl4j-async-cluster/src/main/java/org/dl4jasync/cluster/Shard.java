package org.dl4jasync.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;

/**
 * One shard of the flat parameter vector: the values of {@code [from, from + values.length)} and the number of
 * updates applied to it. The value of one entry of the store's map; stored as the object itself ({@code OBJECT}
 * in-memory format), so an update's {@link ApplyShard} writes into {@link #values} where they lie.
 *
 * <p>Protocol: written only by entry processors, which Hazelcast runs one at a time per partition on the entry's
 * owner (and, for the backup, on each backup member); a reader gets a serialised copy.
 */
final class Shard implements DataSerializable {
    float[] values;
    /** Updates applied to this shard: each apply adds 1, so at rest every shard's version is the store's. */
    long version;

    /** For deserialisation. */
    public Shard() {}

    Shard(float[] values) {
        this.values = values;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(version);
        out.writeFloatArray(values);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        version = in.readLong();
        values = in.readFloatArray();
    }
}
