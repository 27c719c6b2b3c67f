package org.dl4jasync.parameters;

import org.dl4jasync.model.Replica;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One worker's access to a {@link ParameterStore}: owned and used by exactly one thread.
 *
 * <p>A step is {@code read()} → gradient on {@link #replica()} → {@code release()} → optionally
 * {@code apply(update, scale)}. The replica's parameters reflect the store between {@code read} and
 * {@code release} only.
 *
 * <p><b>Extension interface</b> (not needed to train with the built-in algorithms): a parameter store implements it; the engines drive it. See DESIGN.md,
 * "Public API".
 */
public interface WorkerView {

    /** Returned by {@link #apply} when the store dropped the update (CAS-published persistence bound). */
    long DROPPED = -1L;

    /**
     * Returned by {@link #apply(INDArray, long, long, StepScaler)} when the update would have had a staleness above
     * the bound it was given: nothing was written and no version was taken.
     */
    long STALE = -2L;

    /** No staleness bound: {@link #apply(INDArray, long, long, StepScaler)} never returns {@link #STALE}. */
    long UNBOUNDED = Long.MAX_VALUE;

    /** The worker's private replica; never shared with another thread. */
    Replica replica();

    /** Makes the replica's parameters show the latest parameters; returns the version read. */
    long read();

    /** Ends the read started by {@link #read()} (the CAS-published store unpins its snapshot). */
    void release();

    /**
     * Applies {@code θ ← θ − scale(τ)·update} and returns the staleness τ of this update, or {@link #DROPPED}.
     *
     * @param update      the update produced by the worker's DL4J updater (not modified)
     * @param readVersion the version returned by the {@link #read()} the gradient came from
     * @param scaler      gives the step-size factor for the staleness this update turns out to have
     */
    default long apply(INDArray update, long readVersion, StepScaler scaler) {
        return apply(update, readVersion, UNBOUNDED, scaler);
    }

    /**
     * As {@link #apply(INDArray, long, StepScaler)}, but only if the update's staleness is at most
     * {@code maxStaleness}; else returns {@link #STALE} and leaves the parameters and the version as they are. The
     * decision is exact: it is taken on the version the update would get, atomically with taking it (for every
     * store, HOGWILD! included), so no applied update has τ &gt; {@code maxStaleness}.
     */
    default long apply(INDArray update, long readVersion, long maxStaleness, StepScaler scaler) {
        return apply(update, readVersion, maxStaleness, scaler, null);
    }

    /**
     * As {@link #apply(INDArray, long, long, StepScaler)}; with a {@code former} (shared optimizer state) the store
     * forms the update from {@code update} (the worker's gradient) through its shared state at the moment it
     * writes, as {@link UpdateFormer} says, and then applies {@code θ ← θ − scale(τ)·update}. A STALE or DROPPED
     * apply leaves the shared state as it was.
     *
     * @param former null: {@code update} is the finished update (per-worker optimizer state)
     * @throws IllegalStateException with a former on a store made without a shared state
     */
    long apply(INDArray update, long readVersion, long maxStaleness, StepScaler scaler, UpdateFormer former);
}
