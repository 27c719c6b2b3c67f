package org.dl4jasync.parameters;

import java.util.concurrent.atomic.AtomicLong;

import org.dl4jasync.model.Replica;
import org.dl4jasync.model.TrainableModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * HOGWILD! (Niu, Recht, Ré, Wright, NeurIPS 2011): every replica views the one shared buffer and updates are
 * applied in place with no synchronisation. Reads are not consistent (a gradient may see a half-applied
 * update); that is the point. Only the version counter is atomic, so the number of applied updates and every
 * τ are exact.
 *
 * <p>The shared buffer is the original model's own parameter array, so the original model always shows
 * the current (racy) parameters.
 */
final class HogwildStore implements ParameterStore {
    private final TrainableModel model;
    private final INDArray params;
    private final FlatVector flat;
    /** Number of updates applied (or being applied). Protocol: one getAndIncrement per apply, before the write. */
    private final AtomicLong version = new AtomicLong();

    public HogwildStore(TrainableModel model) {
        this.model = model;
        this.params = model.params();
        this.flat = FlatVector.of(params);
    }

    @Override
    public Kind kind() {
        return Kind.HOGWILD;
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
            public void release() {
            }

            @Override
            public long apply(INDArray update, long readVersion, StepScaler scaler) {
                long tau = version.getAndIncrement() - readVersion;
                flat.subtractScaled(updates.of(update), scaler.factor(tau));
                return tau;
            }
        };
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
    public void close() {
    }
}
