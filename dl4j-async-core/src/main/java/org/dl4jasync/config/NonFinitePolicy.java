package org.dl4jasync.config;

/**
 * What a run does with a step whose minibatch loss or update is NaN or infinite. The worker checks both before the
 * update reaches the shared parameters (the loss as it is; the update by one BLAS pass, the sum of its absolute
 * values), so a non-finite update is never applied, whatever the policy. Under a shared optimizer state
 * ({@link OptimizerState#SHARED}) the store forms the update as it applies it, so what is checked before is the
 * gradient: a finite gradient that the shared state turns into a non-finite update is not caught before it lands.
 */
public enum NonFinitePolicy {
    /**
     * The default: the run ends at once with {@code TrainingFailedException}, whose cause
     * ({@code NonFiniteUpdateException}) names the step, the worker and its staleness. The network keeps the last
     * applied (finite) parameters.
     */
    FAIL,
    /** The update is thrown away and counted ({@code steps_non_finite}); training goes on. */
    SKIP,
    /**
     * The run ends with stop reason {@code diverged} and its report, as for a divergence seen at an evaluation: for
     * experiments in which divergence is an outcome to record (the {@code compare} suites use it).
     */
    STOP
}
