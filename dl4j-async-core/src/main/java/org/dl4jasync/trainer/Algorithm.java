package org.dl4jasync.trainer;

/** How workers are coordinated. */
public enum Algorithm {
    /** One worker: the equivalent of {@code MultiLayerNetwork.fit}, through the same trainer and report. */
    SEQUENTIAL,
    /** Synchronous data-parallel: m gradients on the same θ, averaged, one update per round (the papers' "Sync"). */
    SYNC,
    /** Asynchronous workers under a {@link org.dl4jasync.dispatch.Dispatcher} and a parameter store. */
    ASYNC
}
