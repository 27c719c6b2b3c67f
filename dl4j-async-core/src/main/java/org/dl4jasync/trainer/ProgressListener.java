package org.dl4jasync.trainer;

/** Receives periodic progress on the thread that called {@code fit} (never concurrently). */
@FunctionalInterface
public interface ProgressListener {

    /**
     * @param seconds       wall time since training started
     * @param acceptedSteps updates applied so far
     * @param totalSteps    the planned number of applied updates, or -1 when unknown
     * @param recentLoss    mean minibatch loss since the previous call (NaN if none)
     * @param stalenessMean mean staleness so far (NaN if none)
     */
    void onProgress(double seconds, long acceptedSteps, long totalSteps, double recentLoss, double stalenessMean);
}
