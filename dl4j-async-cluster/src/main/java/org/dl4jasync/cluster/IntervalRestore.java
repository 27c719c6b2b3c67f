package org.dl4jasync.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A resumed training's intervals, at the {@link IntervalState}'s owner: the checkpoint's interval size, index, accepted
 * count and trace, taken only while no step has started in the cluster (the first resuming member decides). The
 * interval goes on from there with no update of it counted yet (the checkpoint's in-flight interval updates are in
 * the parameters every new step reads, so τ ≤ y − 1 holds as in any interval). Its own backup processor.
 */
final class IntervalRestore implements EntryProcessor<Integer, IntervalState, Boolean>, DataSerializable {
    private int y;
    private long index;
    private long acceptedTotal;
    private List<long[]> trace;

    /** For deserialisation. */
    public IntervalRestore() {}

    IntervalRestore(int y, long index, long acceptedTotal, List<long[]> trace) {
        this.y = y;
        this.index = index;
        this.acceptedTotal = acceptedTotal;
        this.trace = trace;
    }

    @Override
    public Boolean process(Map.Entry<Integer, IntervalState> entry) {
        IntervalState s = entry.getValue();
        if (s == null || s.started > 0) {
            return false;
        }
        s.y = y;
        s.index = index;
        s.acceptedTotal = acceptedTotal;
        s.trace = new ArrayList<>(trace);
        entry.setValue(s);
        return true;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(y);
        out.writeLong(index);
        out.writeLong(acceptedTotal);
        IntervalState.writeTrace(out, trace);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        y = in.readInt();
        index = in.readLong();
        acceptedTotal = in.readLong();
        trace = IntervalState.readTrace(in);
    }
}
