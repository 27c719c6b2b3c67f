package org.dl4jasync.parameters;

import java.util.concurrent.atomic.AtomicLong;
import org.dl4jasync.model.Replica;
import org.dl4jasync.model.TrainableModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * HOGWILD! (Niu, Recht, Ré, Wright, NeurIPS 2011): every replica views the one shared buffer and updates are
 * applied in place with no synchronisation. Reads are not consistent (a gradient may see a half-applied
 * update); that is the point. Only the version counter is atomic, so the number of applied updates and every
 * τ are exact (and a staleness bound is decided on it, {@link #takeVersion}).
 *
 * <p>The shared buffer is the original model's own parameter array, so the original model always shows
 * the current (racy) parameters. With a shared optimizer state ({@link UpdateFormer}) the state is the original
 * network's own updater state array, viewed by every worker's updater and advanced in place with no
 * synchronisation, exactly as the parameters are (benign race by design: two updates formed at once may each read
 * the state before the other's write); the network always shows it too.
 */
final class HogwildStore implements ParameterStore {
    private final TrainableModel model;
    private final INDArray params;
    private final FlatVector flat;
    /** Number of updates applied (or being applied). Protocol: one getAndIncrement per apply, before the write. */
    private final AtomicLong version = new AtomicLong();
    /** The shared optimizer state (racy in place, as {@link #params}), or null. */
    private final INDArray state;

    public HogwildStore(TrainableModel model) {
        this(model, null);
    }

    /** @param sharedState used itself as the shared optimizer state (null: none) */
    public HogwildStore(TrainableModel model, INDArray sharedState) {
        this.model = model;
        this.params = model.params();
        this.flat = FlatVector.of(params);
        this.state = sharedState;
    }

    @Override
    public INDArray sharedState() {
        return state;
    }

    @Override
    public void copySharedStateTo(INDArray destination) {
        if (state == null) {
            ParameterStore.super.copySharedStateTo(destination);
        } else if (!FlatVector.sameMemory(destination, state)) {
            destination.assign(state);
        }
    }

    @Override
    public long length() {
        return params.length();
    }

    @Override
    public long version() {
        return version.get();
    }

    @Override
    public WorkerView newWorkerView(int worker) {
        Replica replica = model.newReplica(params);
        FlatVector.Cache updates = new FlatVector.Cache();
        return new WorkerView() {
            @Override
            public Replica replica() {
                return replica;
            }

            @Override
            public long read() {
                return version.get(); // the replica already views the live buffer
            }

            @Override
            public void release() {}

            @Override
            public long apply(
                    INDArray update, long readVersion, long maxStaleness, StepScaler scaler, UpdateFormer former) {
                if (former != null && state == null) {
                    throw new IllegalStateException("an update to form, but the store keeps no shared state");
                }
                long tau = maxStaleness == UNBOUNDED
                        ? version.getAndIncrement() - readVersion
                        : takeVersion(readVersion, maxStaleness);
                if (tau == STALE) {
                    return STALE;
                }
                double factor = scaler.factor(tau);
                if (former != null) {
                    former.form(); // racy on the shared state, as the write below is on the parameters
                }
                flat.subtractScaled(updates.of(update), factor);
                return tau;
            }
        };
    }

    /**
     * Takes the next version for an update read at {@code readVersion} if its staleness is at most {@code max}, else
     * returns {@link WorkerView#STALE}. CAS loop invariant: {@code v − readVersion ≤ max} for the value replaced, so
     * the version an update takes (and with it its τ) is the one the bound was checked against.
     */
    private long takeVersion(long readVersion, long max) {
        for (; ; ) {
            long v = version.get();
            if (v - readVersion > max) {
                return WorkerView.STALE;
            }
            if (version.compareAndSet(v, v + 1)) {
                return v - readVersion;
            }
        }
    }

    @Override
    public void copyLatestTo(INDArray destination) {
        if (!FlatVector.sameMemory(destination, params)) {
            destination.assign(params);
        }
    }

    @Override
    public long droppedUpdates() {
        return 0;
    }

    @Override
    public boolean sharesBufferWith(INDArray other) {
        return FlatVector.sameMemory(other, params);
    }

    /** Applies never conflict: each lands after its own duration. */
    @Override
    public ContentionModel contention() {
        return new ContentionModel() {
            @Override
            public double begin(int worker, double now, double duration) {
                return now + duration;
            }

            @Override
            public int end(int worker) {
                return APPLY;
            }
        };
    }

    @Override
    public void close() {}
}
