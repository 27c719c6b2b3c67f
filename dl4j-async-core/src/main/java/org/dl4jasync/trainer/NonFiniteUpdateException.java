package org.dl4jasync.trainer;

/**
 * A worker computed a NaN or infinite loss or update ({@link org.dl4jasync.config.NonFinitePolicy#FAIL}): the cause
 * of the {@link TrainingFailedException} that ends the run. Nothing of the step was applied.
 */
public final class NonFiniteUpdateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int worker;
    private final long step;
    private final long staleness;
    private final double loss;

    NonFiniteUpdateException(int worker, long step, long readVersion, long staleness, double loss, boolean lossFinite) {
        super("non-finite " + (lossFinite ? "update" : "loss (" + loss + ")") + " at step " + step + " of worker "
                + worker + " (read version " + readVersion + ", staleness " + staleness + "); not applied. "
                + "Lower the learning rate, bound the staleness, or choose --on-non-finite skip|stop");
        this.worker = worker;
        this.step = step;
        this.staleness = staleness;
        this.loss = loss;
    }

    public int worker() {
        return worker;
    }

    /** The step's ticket: its place in the order the steps started (0-based, over the whole run). */
    public long step() {
        return step;
    }

    /** Updates applied between the step's read of the parameters and the check (τ it would have had). */
    public long staleness() {
        return staleness;
    }

    /** The step's minibatch loss (NaN or infinite when the loss was the non-finite one). */
    public double loss() {
        return loss;
    }
}
