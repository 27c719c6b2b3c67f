package org.dl4jasync.parameters;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One flat parameter vector shared by all workers, with a version counter that totally orders the applied
 * updates: the version is the number of updates applied so far.
 *
 * <p>The staleness of an update is {@code τ = (version when it is applied) − (version its gradient was computed
 * from)}; a worker running alone always sees τ = 0.
 *
 * <p>Three semantics implement it: {@link HogwildStore} (racy in-place), {@link LockedStore} (read and apply under
 * one lock) and {@link LeashedStore} (CAS-published immutable snapshots). Each worker talks to the store through
 * its own {@link WorkerView}, which owns the worker's replica network.
 */
public interface ParameterStore {

    /** Which semantics a store implements. */
    enum Kind { HOGWILD, LOCKED, LEASHED }

    /**
     * A store of the given semantics over {@code network}'s parameters.
     *
     * @param workers     number of worker views that will exist (sizes the CAS-published store's pool)
     * @param persistence failed CAS attempts allowed per update for {@link Kind#LEASHED} ({@link LeashedStore#UNBOUNDED}
     *                    for no bound); ignored by the others
     */
    static ParameterStore create(Kind kind, MultiLayerNetwork network, int workers, int persistence) {
        switch (kind) {
            case HOGWILD:
                return new HogwildStore(network);
            case LOCKED:
                return new LockedStore(network);
            case LEASHED:
                return new LeashedStore(network, workers, persistence);
            default:
                throw new IllegalArgumentException("store " + kind);
        }
    }

    Kind kind();

    /** Number of parameters. */
    long length();

    /** Number of updates applied so far (the version of the latest parameters). */
    long version();

    /**
     * Creates the view of worker {@code worker}; called once per worker, on the worker's own thread (replicas
     * allocate thread-local workspaces).
     */
    WorkerView newWorkerView(int worker);

    /**
     * Copies the latest parameters into {@code destination} (of length {@link #length()}). Consistent for the
     * locked and CAS-published stores; racy for HOGWILD! (like every HOGWILD! read).
     */
    void copyLatestTo(INDArray destination);

    /** Gradients dropped by the store itself (the CAS-published persistence bound); 0 for the others. */
    long droppedUpdates();

    /**
     * True when the store's buffer is the original network's own parameter array, so the original network
     * always shows the current parameters and {@link #copyLatestTo} into it is a no-op.
     */
    boolean sharesBufferWith(MultiLayerNetwork network);

    /**
     * Ends the store's use. Buffers are not freed explicitly (replicas' views may still reference them); ND4J
     * reclaims them when they become unreachable. The original network's array is never freed.
     */
    void close();
}
