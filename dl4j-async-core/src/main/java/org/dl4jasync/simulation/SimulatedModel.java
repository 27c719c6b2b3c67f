package org.dl4jasync.simulation;

/**
 * The learning problem behind a simulation ({@code --model lenet|mlp}); absent for {@code --model none}.
 * Called by the single simulation thread in event order.
 */
public interface SimulatedModel {

    /**
     * Worker {@code worker} reads the current parameters at its step start: compute the gradient of batch
     * {@code ticket} on them now, turn it into the worker's update (its own updater state) and keep it until the
     * step finishes. Returns the minibatch loss, or NaN when the ticket is past the data.
     */
    double read(int worker, long ticket, int iteration, int epoch);

    /** Applies worker {@code worker}'s pending update scaled by {@code factor} to the current parameters. */
    void apply(int worker, double factor);

    /**
     * Worker {@code worker}'s pending update (computed at its last read, before any step-size factor), for the
     * asynchrony-noise measurement; null when the model has none.
     */
    default org.nd4j.linalg.api.ndarray.INDArray pendingUpdate(int worker) {
        return null;
    }

    /** Accuracy of the current parameters on the held-out data; NaN when there is none or training diverged. */
    double evaluate();
}
