package org.dl4jasync.trainer;

/** A worker (or the data source) threw during {@code fit}; all workers were stopped. The cause is the original. */
public final class TrainingFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainingFailedException(String message, Throwable cause) {
        super(message + ": " + cause, cause);
    }
}
