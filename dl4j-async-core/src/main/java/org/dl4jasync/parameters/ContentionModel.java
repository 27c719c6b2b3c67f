package org.dl4jasync.parameters;

/**
 * How a store's applies interact when each takes virtual time: the simulator's model of the store's contention,
 * implemented by each store next to its real protocol. Used by the single simulation thread only. When the model
 * says {@link #APPLY}, the simulator applies the update through the store's real {@link WorkerView#apply}.
 *
 * <p><b>Extension interface</b> (not needed to train with the built-in algorithms): a parameter store says with it how its applies behave in virtual time. See DESIGN.md,
 * "Public API".
 */
public interface ContentionModel {
    /** The attempt succeeded: apply the update now. */
    int APPLY = 0;
    /** The attempt failed (a concurrent publication): begin another one. */
    int RETRY = 1;
    /** The attempt failed and the update is given up (counted by the store as dropped). */
    int DROP = 2;

    /**
     * Worker {@code worker} begins an apply attempt at virtual time {@code now} that takes {@code duration}.
     * Returns the virtual time at which the attempt ends.
     */
    double begin(int worker, double now, double duration);

    /** The attempt of {@code worker} ends now: {@link #APPLY}, {@link #RETRY} or {@link #DROP}. */
    int end(int worker);
}
