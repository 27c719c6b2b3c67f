package org.dl4jasync.trainer;

import java.util.List;
import java.util.Map;
import org.dl4jasync.checkpoint.CheckpointFile;
import org.dl4jasync.checkpoint.StateValues;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where a resumed run starts: the trainer's state read from a checkpoint ({@link Checkpoints#contents} wrote it).
 * The network itself (parameters, iteration and epoch counts) is restored by the trainer before the run is made;
 * this is the rest, which the run takes back before its workers start.
 */
final class Resume {
    /** Version of the state's layout; a checkpoint of another version is not resumed. */
    static final int FORMAT = 1;

    /** Updates applied before the checkpoint (over the whole training, every earlier resume included). */
    final long accepted;
    /** Complete epochs of the training before the checkpoint. */
    final int epochsDone;
    /** Batches of the epoch in progress trained before the checkpoint. */
    final long position;
    /** The run's clock (seconds of training) at the checkpoint. */
    final double seconds;

    final double workerSeconds;
    final double evaluationSeconds;
    final long failedCas;
    final List<Object> workerStats;
    final INDArray[] updaterStates;
    final Map<String, Object> monitor;
    final Map<String, Object> components;

    /**
     * A checkpoint state that this version cannot read (edited by hand, or written by another version): a value of
     * the wrong type or missing ({@code StateValues} throws ClassCastException, NullPointerException or
     * IllegalArgumentException), said in one line instead of a stack trace.
     */
    static org.dl4jasync.checkpoint.IncompatibleCheckpointException unreadable(String where, RuntimeException e) {
        if (e instanceof org.dl4jasync.checkpoint.IncompatibleCheckpointException) {
            return (org.dl4jasync.checkpoint.IncompatibleCheckpointException) e;
        }
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new org.dl4jasync.checkpoint.IncompatibleCheckpointException(where + " has a state this version cannot "
                + "read (edited by hand, or from another version?): " + why);
    }

    Resume(CheckpointFile.Contents c) {
        Map<String, Object> s = c.state;
        int format = StateValues.getInt(s, "format");
        if (format != FORMAT) {
            throw new IllegalArgumentException("checkpoint state format " + format + ", this version reads " + FORMAT);
        }
        this.accepted = StateValues.getLong(s, "accepted");
        Map<String, Object> data = StateValues.getMap(s, "data");
        this.epochsDone = StateValues.getInt(data, "epochs_done");
        this.position = StateValues.getLong(data, "position");
        this.seconds = StateValues.getDouble(s, "seconds");
        this.workerSeconds = StateValues.getDouble(s, "worker_seconds");
        this.evaluationSeconds = StateValues.getDouble(s, "evaluation_seconds");
        this.failedCas = StateValues.getLong(s, "failed_cas");
        this.workerStats = StateValues.getList(s, "worker_stats");
        this.updaterStates = c.updaterStates;
        this.monitor = StateValues.getMap(s, "monitor");
        this.components = StateValues.getMap(s, "components");
    }
}
