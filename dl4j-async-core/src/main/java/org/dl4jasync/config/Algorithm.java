package org.dl4jasync.config;

/** How workers are coordinated. */
public enum Algorithm {
    /** One worker: the equivalent of {@code MultiLayerNetwork.fit}, through the same trainer and report. */
    SEQUENTIAL,
    /** Synchronous data-parallel: m gradients on the same θ, averaged, one update per round (the papers' "Sync"). */
    SYNC,
    /** Asynchronous workers under a dispatcher (plain async unless a custom one is given) and a parameter store. */
    ASYNC,
    /** Asynchronous within intervals of y accepted steps (Interval-Asynchrony); y from the interval options. */
    INTERVAL,
    /** Asynchronous with ElAsyncSGD's elastic parallelism (the same as ASYNC with {@link Parallelism#ELASTIC}). */
    ELASTIC;

    /** Whether updates carry staleness (the asynchronous algorithms). */
    public boolean asynchronous() {
        return this == ASYNC || this == INTERVAL || this == ELASTIC;
    }
}
