package org.dl4jasync.parameters;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fixed-capacity pool of parameter buffers for the CAS-published store: buffers are recycled, never garbage.
 * Capacity 3m + 1 for m workers (each worker holds at most a pinned snapshot, a pinned "latest" it copies from
 * and its private next buffer; plus the published latest). Running out is a broken invariant and throws.
 *
 * <p>{@link #taken} protocol: slot i is owned by whoever CASed it 0 → 1 and is returned with a volatile set to 0.
 * {@link #slots}[i] is read and written only by the owner of slot i (the release/CAS pair orders successive
 * owners), so a slot's buffer is allocated on its first use without a lock, outside any workspace;
 * {@link #created()} shows how many buffers a run really needed.
 */
final class SnapshotPool {
    private final Snapshot[] slots;
    private final AtomicIntegerArray taken;
    private final long length;
    /** Length of each snapshot's optimizer state (0: none). */
    private final long stateLength;

    private final DataType dataType;
    private final AtomicInteger inUse = new AtomicInteger();
    private final AtomicInteger maxInUse = new AtomicInteger();
    private final AtomicInteger created = new AtomicInteger();

    SnapshotPool(int capacity, long length, DataType dataType) {
        this(capacity, length, 0, dataType);
    }

    /** @param stateLength length of each snapshot's shared optimizer state, 0 for none */
    SnapshotPool(int capacity, long length, long stateLength, DataType dataType) {
        this.slots = new Snapshot[capacity];
        this.taken = new AtomicIntegerArray(capacity);
        this.length = length;
        this.stateLength = stateLength;
        this.dataType = dataType;
    }

    /** An exclusively owned snapshot (STALE bit set). */
    Snapshot acquire(int hint) {
        int n = slots.length;
        for (int k = 0; k < n; k++) {
            int i = (hint + k) % n;
            if (taken.get(i) == 0 && taken.compareAndSet(i, 0, 1)) {
                int now = inUse.incrementAndGet();
                maxInUse.accumulateAndGet(now, Math::max);
                return slot(i);
            }
        }
        throw new IllegalStateException("snapshot pool exhausted: all " + n
                + " buffers in use; the 3m+1 bound of the CAS-published store is broken");
    }

    void release(Snapshot s) {
        inUse.decrementAndGet();
        taken.set(s.slot, 0);
    }

    /** Called by the owner of slot i only. */
    private Snapshot slot(int i) {
        Snapshot s = slots[i];
        if (s == null) {
            INDArray buffer;
            INDArray state;
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                buffer = Nd4j.create(dataType, length);
                state = stateLength == 0 ? null : Nd4j.create(dataType, stateLength);
            }
            s = new Snapshot(buffer, state, i);
            slots[i] = s;
            created.incrementAndGet();
        }
        return s;
    }

    public int capacity() {
        return slots.length;
    }

    /** Buffers allocated so far (never more than the capacity). */
    public int created() {
        return created.get();
    }

    public int inUse() {
        return inUse.get();
    }

    /** Highest number of buffers in use at once. */
    public int maxInUse() {
        return maxInUse.get();
    }
}
