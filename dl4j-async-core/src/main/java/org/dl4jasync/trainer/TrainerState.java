package org.dl4jasync.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.dl4jasync.metrics.WorkerStats;

/**
 * The trainer's state in a checkpoint file ({@link CheckpointContents#of} writes it, {@link Resume} reads it), beside
 * the network, its updater state and every worker's updater state. Written and read by
 * {@link org.dl4jasync.checkpoint.CheckpointStates}: the components' names in snake case are the keys.
 *
 * @param format            the layout's version ({@link Resume#FORMAT}); another version is not resumed
 * @param config            the run's configuration as its report records it (compared at resume)
 * @param accepted          updates applied over the whole training
 * @param seconds           the run's clock (seconds of training) at the checkpoint
 * @param evaluationSeconds wall seconds spent in evaluations during training
 * @param failedCas         failed CAS attempts of the CAS-published store
 * @param components        each component's state ({@link org.dl4jasync.checkpoint.Checkpointable}) by its name
 */
record TrainerState(
        int format,
        int workers,
        Map<String, Object> config,
        long accepted,
        Data data,
        double seconds,
        double workerSeconds,
        double evaluationSeconds,
        long failedCas,
        List<WorkerStats.State> workerStats,
        RunMonitor.State monitor,
        Map<String, Map<String, Object>> components) {

    /**
     * Where the training stands in its data.
     *
     * @param epochsTotal     the epochs asked for over the whole training (Integer.MAX_VALUE: no count)
     * @param epochsDone      complete epochs
     * @param position        batches of the epoch in progress trained
     * @param batchesPerEpoch the in-memory data's batches per epoch; −1: streamed
     * @param fingerprint     the in-memory data's {@link DataFingerprint}; a JSON null: streamed data; absent (Java
     *                        null) in checkpoints from before fingerprints
     */
    record Data(int epochsTotal, int epochsDone, long position, long batchesPerEpoch, JsonNode fingerprint) {
        /** The fingerprint as text, or null (streamed data, or none recorded). */
        String fingerprintText() {
            return fingerprint == null || fingerprint.isNull() ? null : fingerprint.asText();
        }

        /** Whether the checkpoint records which data it was made on (not so before fingerprints existed). */
        boolean recordsData() {
            return fingerprint != null;
        }
    }
}
