package org.dl4jasync.stepsize;

/**
 * Maps the staleness τ of an update to a factor on the update produced by the model's DL4J updater
 * (for plain SGD, the effective step is {@code factor(τ)·η0}).
 *
 * <p>Thread-safe, O(1) and allocation-free per call: {@link #factor} is called inside the store's apply and
 * {@link #observe} once per applied update, concurrently from all workers.
 */
public interface StepSizePolicy {

    /** The factor for an update of staleness {@code tau}; must not depend on call order (pure for a given state). */
    double factor(long tau);

    /** Sees the staleness of every applied update (after it was applied). Default: ignores it. */
    default void observe(long tau) {
    }

    /** Short name for reports. */
    String name();
}
