package org.dl4jasync.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.Map;
import org.dl4jasync.parameters.WorkerView;

/**
 * Takes an update's version on the store's clock: the entry holds the number of updates that took one so far. Run
 * at the clock's owner, one at a time (the partition thread): the check of the staleness bound and the increment
 * are one atomic step, as the in-process stores' CAS on their version counter. Returns the update's τ = (version it
 * takes) − (version its gradient read), or {@link WorkerView#STALE} with the clock unchanged.
 *
 * <p>Its backup processor is itself: a backup of the clock counts the same tickets.
 */
final class TakeTicket implements EntryProcessor<Integer, Long, Long>, DataSerializable {
    private long readVersion;
    private long maxStaleness;

    /** For deserialisation. */
    public TakeTicket() {}

    TakeTicket(long readVersion, long maxStaleness) {
        this.readVersion = readVersion;
        this.maxStaleness = maxStaleness;
    }

    @Override
    public Long process(Map.Entry<Integer, Long> entry) {
        Long current = entry.getValue();
        if (current == null) {
            throw new IllegalStateException(
                    "the store's clock is missing: the store was not initialised or its map was "
                            + "destroyed (a member lost with no backup?)");
        }
        long v = current;
        long tau = v - readVersion;
        if (tau > maxStaleness) {
            return WorkerView.STALE;
        }
        entry.setValue(v + 1);
        return tau;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(readVersion);
        out.writeLong(maxStaleness);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        readVersion = in.readLong();
        maxStaleness = in.readLong();
    }

    /** The payload this processor puts on the network, in bytes. */
    static final long PAYLOAD_BYTES = 2L * Long.BYTES;
}
