package org.dl4jasync.cluster;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.util.Map;

/** A shard's version, read at its owner without the values (read-only: no backup, no lock). */
final class ShardVersion implements EntryProcessor<Integer, Shard, Long>, ReadOnly, DataSerializable {
    @Override
    public Long process(Map.Entry<Integer, Shard> entry) {
        Shard s = entry.getValue();
        return s == null ? null : s.version;
    }

    @Override
    public EntryProcessor<Integer, Shard, Long> getBackupProcessor() {
        return null;
    }

    @Override
    public void writeData(ObjectDataOutput out) {}

    @Override
    public void readData(ObjectDataInput in) {}
}
