package org.dl4jasync.config;

import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.dl4jasync.dispatch.DispatchSpec;
import org.dl4jasync.dispatch.RoundSpec;

/** How workers are coordinated: the kinds of {@link DispatchSpec}, by their report key ({@code --algorithm}). */
public enum Algorithm {
    /** One worker: the equivalent of {@code MultiLayerNetwork.fit}, through the same trainer and report. */
    SEQUENTIAL,
    /** Synchronous data-parallel: m gradients on the same θ, averaged, one update per round (the papers' "Sync"). */
    SYNC,
    /** Asynchronous workers under a dispatcher (plain async unless a custom one is given) and a parameter store. */
    ASYNC,
    /** Asynchronous within intervals of y accepted steps (Interval-Asynchrony); y from the interval options. */
    INTERVAL,
    /** Asynchronous; an update whose staleness would exceed B ({@code max_staleness}) is rejected. */
    BOUNDED,
    /** Stale Synchronous Parallel: a worker may run at most s ({@code ssp_slack}) steps ahead of the slowest. */
    SSP,
    /** K-async SGD: rounds of K submissions averaged into one update ({@code kasync_k}; AdaSync with {@code kasync_adaptive}). */
    KASYNC,
    /** ABS: K-async with AdaSync's K_t and forced restarts of workers more than S_t rounds behind. */
    ABS;

    /** The algorithm with its default options. */
    public DispatchSpec defaults() {
        return switch (this) {
            case SEQUENTIAL -> new DispatchSpec.Sequential();
            case SYNC -> new DispatchSpec.Sync();
            case ASYNC -> new DispatchSpec.Async();
            case INTERVAL -> DispatchSpec.Interval.DEFAULT;
            case BOUNDED -> new DispatchSpec.Bounded(OptionalLong.empty());
            case SSP -> new DispatchSpec.Ssp(DispatchSpec.Ssp.DEFAULT_SLACK);
            case KASYNC -> new RoundSpec.KAsync(OptionalInt.empty(), false, 1);
            case ABS -> new RoundSpec.Abs(OptionalInt.empty(), OptionalDouble.empty(), 1);
        };
    }

    /** Whether updates carry staleness (every algorithm but sequential and sync). */
    public boolean asynchronous() {
        return this != SEQUENTIAL && this != SYNC;
    }

    /** Whether updates are applied per round of several workers' submissions (sync, K-async, ABS). */
    public boolean roundBased() {
        return this == SYNC || this == KASYNC || this == ABS;
    }
}
