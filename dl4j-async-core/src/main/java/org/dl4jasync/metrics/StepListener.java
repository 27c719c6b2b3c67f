package org.dl4jasync.metrics;

/**
 * Per-step events for measurement and control (the extended listener). Called on the worker thread that ran
 * the step, concurrently from all workers: implementations must be thread-safe and cheap (the call is on the
 * per-step path). Primitive arguments only, so the call allocates nothing.
 *
 * <p>One event per computed gradient. For an algorithm whose update aggregates several gradients (SYNC: a round of
 * m), the event of the gradient whose worker applied the round's update has {@code accepted} true (τ 0, factor 1)
 * and the round's other gradients, which are in that update, have {@code accepted} false; so the accepted events
 * count updates, as for the asynchronous algorithms, and every gradient's loss is seen once.
 */
public interface StepListener {

    /**
     * @param worker    the worker that ran the step
     * @param ticket    the step's start ticket
     * @param accepted  true when the dispatcher accepted it and the store applied it
     * @param staleness τ of the applied update, or -1 when not applied
     * @param scale     step-size factor applied, or 0 when not applied
     * @param loss      minibatch loss of the step
     */
    void onStep(int worker, long ticket, boolean accepted, long staleness, double scale, double loss);
}
