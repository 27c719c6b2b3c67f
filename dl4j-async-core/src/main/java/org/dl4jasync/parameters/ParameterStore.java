package org.dl4jasync.parameters;

import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.model.TrainableModel;
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
    /** Persistence of the CAS-published store without a bound: an update is never dropped for contention. */
    int UNBOUNDED_PERSISTENCE = Integer.MAX_VALUE;

    /** Which semantics a store implements. */
    enum Kind {
        HOGWILD,
        LOCKED,
        LEASHED
    }

    /**
     * A store of the given semantics over {@code network}'s parameters.
     *
     * @param workers     number of worker views that will exist (sizes the CAS-published store's pool)
     * @param persistence failed CAS attempts allowed per update for {@link Kind#LEASHED} ({@link #UNBOUNDED_PERSISTENCE}
     *                    for no bound); ignored by the others
     */
    static ParameterStore create(Kind kind, TrainableModel model, int workers, int persistence) {
        return create(kind, model, workers, persistence, null);
    }

    /**
     * As {@link #create(Kind, TrainableModel, int, int)}, with a shared optimizer state ({@link UpdateFormer})
     * starting from {@code sharedState}: the HOGWILD! store uses that array itself (the original network's updater
     * state, so the network always shows the current state as it shows the parameters); the locked store keeps a
     * copy guarded by its lock; the CAS-published store makes it part of every published snapshot.
     *
     * @param sharedState null: per-worker optimizer state, the store keeps none
     */
    static ParameterStore create(Kind kind, TrainableModel model, int workers, int persistence, INDArray sharedState) {
        switch (kind) {
            case HOGWILD:
                return new HogwildStore(model, sharedState);
            case LOCKED:
                return new LockedStore(model, sharedState);
            case LEASHED:
                return new LeashedStore(model, workers, persistence, sharedState);
            default:
                throw new IllegalArgumentException("store " + kind);
        }
    }

    /** {@link #create(Kind, TrainableModel, int, int)} over a {@link MultiLayerNetwork}'s parameters. */
    static ParameterStore create(Kind kind, MultiLayerNetwork network, int workers, int persistence) {
        return create(kind, TrainableModel.of(network), workers, persistence);
    }

    /** Number of parameters. */
    long length();

    /** Number of updates applied so far (the version of the latest parameters): the count τ is measured on. */
    long version();

    /**
     * Updates applied through this store object: the run's own count (its report, checkpoints and listeners'
     * iterations). The version for an in-process store; for a store that other processes update too (the cluster
     * store), this process's part of it.
     */
    default long applied() {
        return version();
    }

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

    /**
     * The shared optimizer state that a worker's updater views (HOGWILD!: racy, as the parameters; locked: touched
     * only under the store's lock, inside {@link UpdateFormer#form()}), or null: no shared state, or (CAS-published)
     * one per snapshot, which workers never view.
     */
    default INDArray sharedState() {
        return null;
    }

    /** Whether the store keeps a shared optimizer state. */
    default boolean hasSharedState() {
        return sharedState() != null;
    }

    /**
     * Copies the latest shared optimizer state into {@code destination} (consistent for the locked and CAS-published
     * stores, racy for HOGWILD!, a no-op when it is that very array).
     *
     * @throws IllegalStateException when the store keeps no shared state
     */
    default void copySharedStateTo(INDArray destination) {
        throw new IllegalStateException("this store keeps no shared optimizer state");
    }

    /** Gradients dropped by the store itself (the CAS-published persistence bound); 0 for the others. */
    long droppedUpdates();

    /**
     * The store's own measurements for the report's {@code store_stats} (e.g. the cluster store's traffic), or null
     * (the default: the in-process stores report through the other fields).
     */
    default Map<String, Object> stats() {
        return null;
    }

    /** Failed CAS attempts (contention of the CAS-published store), or null for stores that have no CAS. */
    default Long failedCas() {
        return null;
    }

    /**
     * True when the store's buffer is {@code params}' own memory (the original model's parameter array under
     * HOGWILD!), so the original model always shows the current parameters and {@link #copyLatestTo} into it is a
     * no-op.
     */
    boolean sharesBufferWith(INDArray params);

    /**
     * This store's contention when applies take virtual time (a fresh model per call: one per simulation). Its
     * counts (failed CAS, drops) are the store's own.
     */
    ContentionModel contention();

    /**
     * Ends the store's use. Buffers are not freed explicitly (replicas' views may still reference them); ND4J
     * reclaims them when they become unreachable. The original network's array is never freed.
     */
    void close();
}
