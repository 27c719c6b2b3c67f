package org.dl4jasync.cluster;

/**
 * The cluster did not answer within the store's timeout, or lost what a training needs (a shard with no backup):
 * thrown by a worker's step, it ends the training ({@code TrainingFailedException} names the cause); no step waits
 * for the cluster longer than the timeout.
 */
public final class ClusterUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
