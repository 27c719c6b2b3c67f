package org.dl4jasync.stepsize;

/**
 * Maps the staleness τ of an update to a factor on the update produced by the model's DL4J updater
 * (for plain SGD, the effective step is {@code factor(τ)·η0}).
 *
 * <p>Thread-safe, O(1) and allocation-free per call: {@link #factor} is called inside the store's apply and
 * {@link #observe} once per applied update, concurrently from all workers. A policy instance belongs to one
 * training run (it may keep state such as the observed staleness distribution).
 */
public interface StepSizePolicy {

    /** The factor for an update of staleness {@code tau}; must not depend on call order (pure for a given state). */
    double factor(long tau);

    /** Sees the staleness of every applied update (after it was applied). Default: ignores it. */
    default void observe(long tau) {}

    /** Short name for reports: constant, tail, inverse, fleet, mindthestep. */
    String name();

    /** The name with its parameters, for reports. */
    default String describe() {
        return name();
    }

    /**
     * Whether the factors have mean 1 over the observed staleness distribution, by construction (TAIL-τ,
     * MindTheStep) or by {@link NormalizedStepSize}.
     */
    default boolean normalized() {
        return false;
    }
}
