package org.dl4jasync.trainer;

import java.util.List;
import java.util.Map;
import org.dl4jasync.checkpoint.CheckpointFile;
import org.dl4jasync.checkpoint.CheckpointStates;
import org.dl4jasync.checkpoint.IncompatibleCheckpointException;
import org.dl4jasync.metrics.WorkerStats;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where a resumed run starts: the trainer's state read from a checkpoint ({@link CheckpointContents#of} wrote it).
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
    final List<WorkerStats.State> workerStats;
    final INDArray[] updaterStates;
    final RunMonitor.State monitor;
    final Map<String, Map<String, Object>> components;
    /** The trainer's state as the checkpoint holds it. */
    final TrainerState state;

    /**
     * A checkpoint state that this version cannot read (edited by hand, or written by another version): a value of
     * the wrong type, or a key this version does not know ({@code CheckpointStates} throws
     * IllegalArgumentException), said in one line instead of a stack trace.
     */
    static IncompatibleCheckpointException unreadable(String where, RuntimeException e) {
        if (e instanceof IncompatibleCheckpointException) {
            return (IncompatibleCheckpointException) e;
        }
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new IncompatibleCheckpointException(where + " has a state this version cannot "
                + "read (edited by hand, or from another version?): " + why);
    }

    Resume(CheckpointFile.Contents c) {
        Object format = c.state.get("format"); // first: another version's layout is said as such
        if (!(format instanceof Number n) || n.intValue() != FORMAT) {
            throw new IllegalArgumentException("checkpoint state format " + format + ", this version reads " + FORMAT);
        }
        TrainerState s = CheckpointStates.read(c.state, TrainerState.class);
        this.state = s;
        this.accepted = s.accepted();
        this.epochsDone = s.data().epochsDone();
        this.position = s.data().position();
        this.seconds = s.seconds();
        this.workerSeconds = s.workerSeconds();
        this.evaluationSeconds = s.evaluationSeconds();
        this.failedCas = s.failedCas();
        this.workerStats = s.workerStats();
        this.updaterStates = c.updaterStates;
        this.monitor = s.monitor();
        this.components = s.components() == null ? Map.of() : s.components();
    }
}
