package org.dl4jasync.parameters;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A worker's step under a <b>shared optimizer state</b> (the trainer's {@code OptimizerState.SHARED}): the store
 * keeps one DL4J updater state beside the parameters and forms each update through it at apply time, as a parameter
 * server applies its optimizer to the gradients it receives. The store calls {@link #form()} once the update's
 * staleness is fixed and the write will happen (HOGWILD!: after taking its version, racy as the parameters are;
 * locked: under the lock; CAS-published: once per attempt, on the copy of the snapshot it builds, so a failed or
 * dropped attempt leaves the published state as it was).
 *
 * <p><b>Extension interface</b> (not needed to train with the built-in algorithms): the engines give it to a
 * store's apply. See DESIGN.md, "Public API".
 */
public interface UpdateFormer {

    /**
     * The state array the worker's updater reads and advances. For the HOGWILD! and locked stores it is the store's
     * own shared state ({@link ParameterStore#sharedState()}), viewed by the worker's updater; for the CAS-published
     * store it is the worker's private array, which the store fills from the snapshot it applies to before
     * {@link #form()} and copies into the snapshot it publishes after.
     */
    INDArray state();

    /**
     * Turns the worker's gradient (the {@code update} buffer given to the apply) into the update, in place, reading
     * and advancing {@link #state()}.
     */
    void form();
}
