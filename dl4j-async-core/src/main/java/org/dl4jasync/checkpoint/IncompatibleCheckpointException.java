package org.dl4jasync.checkpoint;

/**
 * A checkpoint that cannot be resumed by this run: another model, other data, or options that change what the
 * training is. The message is one line saying what differs (the command line exits with status 2).
 */
public final class IncompatibleCheckpointException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public IncompatibleCheckpointException(String message) {
        super(message);
    }
}
