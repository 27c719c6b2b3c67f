package org.dl4jasync.parameters;

import java.util.concurrent.locks.ReentrantLock;
import org.dl4jasync.model.Replica;
import org.dl4jasync.model.TrainableModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Lock-based consistent store: a read copies the shared parameters into the worker's private replica and an
 * apply updates them, both under one lock. Every read sees a whole number of updates. With a shared optimizer state
 * ({@link UpdateFormer}) the store owns one updater state, viewed by every worker's updater and read and advanced
 * only under the lock, where the apply forms the update (a parameter server's optimizer step).
 */
final class LockedStore implements ParameterStore {
    private final TrainableModel model;
    /** Guarded by {@link #lock}. */
    private final INDArray params;

    private final FlatVector flat;
    /** Guards {@link #params} and {@link #version}. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock} for writes; volatile so that {@link #version()} may read it without the lock. */
    private volatile long version;
    /** The shared optimizer state, or null. Guarded by {@link #lock}. */
    private final INDArray state;

    public LockedStore(TrainableModel model) {
        this(model, null);
    }

    /** @param sharedState the shared optimizer state's start, copied (null: none) */
    public LockedStore(TrainableModel model, INDArray sharedState) {
        this.model = model;
        this.params = model.params().dup();
        this.flat = FlatVector.of(params);
        this.state = sharedState == null ? null : sharedState.dup();
    }

    @Override
    public INDArray sharedState() {
        return state;
    }

    @Override
    public void copySharedStateTo(INDArray destination) {
        if (state == null) {
            ParameterStore.super.copySharedStateTo(destination);
        }
        lock.lock();
        try {
            destination.assign(state);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long length() {
        return params.length();
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public WorkerView newWorkerView(int worker) {
        INDArray own;
        lock.lock();
        try {
            own = params.dup();
        } finally {
            lock.unlock();
        }
        Replica replica = model.newReplica(own);
        FlatVector ownFlat = FlatVector.of(own);
        FlatVector.Cache updates = new FlatVector.Cache();
        return new WorkerView() {
            @Override
            public Replica replica() {
                return replica;
            }

            @Override
            public long read() {
                lock.lock();
                try {
                    ownFlat.copyFrom(flat);
                    return version;
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public void release() {}

            @Override
            public long apply(
                    INDArray update, long readVersion, long maxStaleness, StepScaler scaler, UpdateFormer former) {
                if (former != null && state == null) {
                    throw new IllegalStateException("an update to form, but the store keeps no shared state");
                }
                lock.lock();
                try {
                    long v = version;
                    long tau = v - readVersion;
                    if (tau > maxStaleness) {
                        return STALE;
                    }
                    double factor = scaler.factor(tau);
                    if (former != null) {
                        former.form(); // the worker's updater views the state: advanced under the lock
                    }
                    flat.subtractScaled(updates.of(update), factor);
                    version = v + 1;
                    return tau;
                } finally {
                    lock.unlock();
                }
            }
        };
    }

    @Override
    public void copyLatestTo(INDArray destination) {
        lock.lock();
        try {
            destination.assign(params);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long droppedUpdates() {
        return 0;
    }

    @Override
    public boolean sharesBufferWith(INDArray other) {
        return false;
    }

    /** Applies queue for the lock: each holds it for its duration, in the order they asked for it. */
    @Override
    public ContentionModel contention() {
        return new ContentionModel() {
            private double lockFreeAt;

            @Override
            public double begin(int worker, double now, double duration) {
                lockFreeAt = Math.max(now, lockFreeAt) + duration;
                return lockFreeAt;
            }

            @Override
            public int end(int worker) {
                return APPLY;
            }
        };
    }

    /**
     * Nothing to free explicitly: the replicas' parameter views still reference the buffer, and ND4J frees a
     * buffer with views safely only through its own reference-counted deallocation (GC). Closing it here freed
     * memory that views' deallocators touched later.
     */
    @Override
    public void close() {}
}
