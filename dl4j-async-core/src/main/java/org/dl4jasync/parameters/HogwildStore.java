package org.dl4jasync.parameters;

import java.util.concurrent.atomic.AtomicLong;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * HOGWILD! (Niu, Recht, Ré, Wright, NeurIPS 2011): every replica views the one shared buffer and updates are
 * applied in place with no synchronisation. Reads are not consistent (a gradient may see a half-applied
 * update); that is the point. Only the version counter is atomic, so the number of applied updates and every
 * τ are exact.
 *
 * <p>The shared buffer is the original network's own parameter array, so the original network always shows
 * the current (racy) parameters.
 */
public final class HogwildStore implements ParameterStore {
    private final MultiLayerConfiguration conf;
    private final INDArray params;
    private final FlatVector flat;
    /** Number of updates applied (or being applied). Protocol: one getAndIncrement per apply, before the write. */
    private final AtomicLong version = new AtomicLong();

    public HogwildStore(MultiLayerNetwork network) {
        this.conf = network.getLayerWiseConfigurations();
        this.params = network.params();
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
        MultiLayerNetwork replica = Replicas.viewing(conf, params);
        FlatVector.Cache updates = new FlatVector.Cache();
        return new WorkerView() {
            @Override
            public MultiLayerNetwork replica() {
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
        if (!sameMemory(destination, params)) {
            destination.assign(params);
        }
    }

    @Override
    public long droppedUpdates() {
        return 0;
    }

    @Override
    public boolean sharesBufferWith(MultiLayerNetwork network) {
        return sameMemory(network.params(), params);
    }

    @Override
    public void close() {
    }

    /** True when both arrays are the same memory (one may be a reshaped view of the other). */
    private static boolean sameMemory(INDArray a, INDArray b) {
        return a.length() == b.length() && a.data().address() == b.data().address() && a.offset() == b.offset();
    }
}
