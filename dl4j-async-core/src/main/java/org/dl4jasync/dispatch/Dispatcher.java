package org.dl4jasync.dispatch;

import org.dl4jasync.metrics.ReportBuilder;

/**
 * Decides whether a worker may start a step and whether the gradient of a finished step is applied
 * (J. Garby, P. Tsigas, "Interval-Asynchrony", Euro-Par 2025, Algorithm 1: the generic asynchronous worker
 * with {@code TRYSTARTSTEP} / {@code FINISHSTEP}).
 *
 * <p>Thread-safe; called concurrently by all workers on the per-step path, so implementations are lock-free
 * and allocation-free.
 */
public interface Dispatcher {
    /** Returned by {@link #tryStartStep} when the worker may not start now. */
    long NOT_NOW = -1L;

    /**
     * Returns the start ticket {@code i ≥ 0} of a new step for {@code worker}, or {@link #NOT_NOW}. Tickets are
     * handed out once each, in increasing order; the ticket selects the step's batch.
     */
    long tryStartStep(int worker);

    /** True when the gradient of step {@code ticket} is to be applied; false rejects it (never applied). */
    boolean finishStep(int worker, long ticket);

    /**
     * Called after an accepted step's update is in the parameters (or was dropped by the store), before the
     * worker starts another step. Dispatchers that bound staleness use it to keep "accepted" and "applied"
     * together; the default does nothing.
     */
    default void afterApply(int worker, long ticket) {}

    /**
     * The largest staleness an applied update may have, or {@link Long#MAX_VALUE} for none (the default). The store
     * decides it exactly, atomically with the version the update would take
     * ({@link org.dl4jasync.parameters.WorkerView#apply(org.nd4j.linalg.api.ndarray.INDArray, long, long,
     * org.dl4jasync.parameters.StepScaler)}); an update above it is rejected like one {@link #finishStep} refuses.
     */
    default long maxStaleness() {
        return Long.MAX_VALUE;
    }

    /** Tickets handed out so far. */
    long started();

    /**
     * Whether {@link #tryStartStep} could give {@code worker} a ticket now, without taking one: the condition a
     * refused worker waits for. A dispatcher that refuses for another reason than the active bound signals
     * {@link ActiveWorkers#waiters()} whenever this may have become true.
     */
    default boolean mayStart(int worker) {
        return active().allows(worker);
    }

    /** Worker {@code worker} has stopped for good (its data ended): a dispatcher that waits for it must not. */
    default void workerLeft(int worker) {}

    /**
     * Every worker of the run has stopped, whatever the outcome (also a failure): a dispatcher with resources
     * beyond the run's steps (a thread, a cluster's listener) releases them. Called once, before the report; the
     * default does nothing.
     */
    default void runEnded() {}

    /** Sections of the run's report that this dispatcher owns (label, traces); called once after the run. */
    default void report(ReportBuilder report) {}

    /**
     * The run-time bound on active workers (elastic parallelism): {@link #tryStartStep} returns {@link #NOT_NOW}
     * to worker w while w is at or above it; such a worker finishes its current step and then waits in
     * {@link ActiveWorkers#waiters()}.
     */
    ActiveWorkers active();

    /** The number of workers allowed to start steps: workers with id below it. */
    default int activeWorkers() {
        return active().get();
    }

    /** Changes the active-worker bound at run time (see {@link #active()}). */
    default void setActiveWorkers(int workers) {
        active().set(workers);
    }
}
