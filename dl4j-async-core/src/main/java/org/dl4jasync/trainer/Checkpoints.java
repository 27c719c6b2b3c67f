package org.dl4jasync.trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.dl4jasync.checkpoint.CheckpointDirectory;
import org.dl4jasync.checkpoint.CheckpointFile;
import org.dl4jasync.checkpoint.Checkpointable;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.metrics.EvaluationSchedule;
import org.dl4jasync.metrics.TrainingReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's checkpoints (thread engine): when one is due ({@link RunMonitor} asks after each applied update, every N
 * accepted steps or S seconds of training), the worker whose update crosses the boundary pauses the others at their
 * next step boundary ({@link PausingClock}, as a paused evaluation), copies what a resumed run needs —
 * {@link CheckpointContents#of}: the parameters, every worker's updater state, the trainer's counters, the data position, the
 * components' state ({@link Checkpointable}) and the report's traces — and lets them go on; a writer thread then
 * writes the file ({@link CheckpointDirectory}: atomically, keeping the newest k) while training continues. With
 * every worker between steps nothing is half-applied, so the copy is one consistent state for every store, HOGWILD!
 * included. A final checkpoint is written at the end of the run.
 *
 * <p>Not kept: work in progress that no update holds yet — submissions to a K-async or ABS round that has not
 * closed, the local steps of a local-SGD worker since its last submission. A resumed run starts those afresh (their
 * batches count as trained: the data position is past them).
 *
 * <p>A failed write is logged and counted, and leaves no file behind; training goes on (the previous checkpoints
 * are intact). The report says how many failed, the last error, and whether the final one was written (the
 * {@code train} command exits with status 1 when it was not). One copy of the
 * state is in memory at a time: a checkpoint that falls due while the previous one is still being written is
 * skipped (the period is a minimum).
 *
 * <p>Protocols: the schedule's boundaries are written under the monitor's claim (as its evaluations); the writer
 * thread is the only user of the directory; {@link #writing} as its comment says; the counters are atomics.
 */
final class Checkpoints {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);

    private final PausingClock pausing;
    private final RunMonitor.Stopper stopper;
    /** The run's state as a checkpoint holds it, read with every worker between steps ({@link CheckpointContents}). */
    private final Function<RunMonitor, CheckpointFile.Contents> snapshot;

    private final EvaluationSchedule schedule;
    private final CheckpointDirectory directory;
    private final ExecutorService writer;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    /**
     * Protocol: true from the hand-over of a copy to the writer until its file is written; a checkpoint that falls
     * due meanwhile is skipped (one copy of the state in memory at a time, however slow the disk).
     */
    private final AtomicBoolean writing = new AtomicBoolean();

    private volatile Path last;
    /** The reason of the newest failed write, or null. */
    private volatile String lastError;
    /** Whether the end state's checkpoint was written ({@link #finish}). */
    private volatile boolean finalWritten;

    /**
     * @param acceptedBefore updates applied before this run, and {@code since} its clock at its start: the first
     *                       checkpoint falls due one period past them
     * @param snapshot       the run's state with its monitor's, as a checkpoint holds it
     */
    Checkpoints(
            RunConfig config,
            long acceptedBefore,
            double since,
            PausingClock pausing,
            RunMonitor.Stopper stopper,
            Function<RunMonitor, CheckpointFile.Contents> snapshot,
            Path dir) {
        this.pausing = pausing;
        this.stopper = stopper;
        this.snapshot = snapshot;
        this.schedule = EvaluationSchedule.every(
                config.checkpointEvery().orElse(0),
                config.checkpointEverySeconds().orElse(0));
        this.directory = new CheckpointDirectory(dir, config.keepCheckpoints());
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dl4j-async-checkpoint");
            t.setDaemon(true);
            return t;
        });
        schedule.evaluated(acceptedBefore, since); // the first boundary is one period past the start
    }

    boolean timed() {
        return schedule.timed();
    }

    boolean due(long accepted, double seconds) {
        return schedule.due(accepted, seconds);
    }

    /**
     * Under the monitor's claim, with {@code accepted} updates in all at {@code seconds}: pauses the other workers,
     * copies the state, lets them go on and hands the copy to the writer. A no-op when it is no longer due.
     */
    void takeIfDue(long accepted, double seconds, RunMonitor monitor) {
        if (!schedule.due(accepted, seconds)) {
            return;
        }
        schedule.evaluated(accepted, seconds);
        if (!writing.compareAndSet(false, true)) {
            skipped.incrementAndGet(); // the previous one is still being written
            return;
        }
        CheckpointFile.Contents c;
        pausing.pause(stopper::stopping);
        try {
            if (stopper.stopping()) {
                writing.set(false);
                return; // the run is ending: its final checkpoint follows
            }
            c = snapshot.apply(monitor);
        } catch (RuntimeException | Error e) {
            writing.set(false);
            throw e;
        } finally {
            pausing.resume();
        }
        writer.execute(() -> {
            try {
                write(c);
            } finally {
                writing.set(false);
            }
        });
    }

    /** After the run (every worker stopped): a checkpoint of the end state, then waits for the writer. */
    void finish(RunMonitor monitor) {
        CheckpointFile.Contents c = snapshot.apply(monitor);
        writer.execute(() -> finalWritten = write(c));
        close();
    }

    /** Waits for the writes in progress and ends the writer thread. */
    void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.MINUTES)) {
                LOG.warn("the checkpoint writer did not finish within 10 minutes; the last checkpoint may be missing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes one checkpoint; a failure is counted, kept as the last error and logged, and training goes on. */
    private boolean write(CheckpointFile.Contents c) {
        try {
            last = directory.write(c);
            written.incrementAndGet();
            return true;
        } catch (IOException | RuntimeException e) {
            failed.incrementAndGet();
            lastError = e.toString();
            LOG.warn("checkpoint not written: {}", e.toString());
            return false;
        }
    }

    /** {@code report} with its {@code checkpoints} section (after {@link #finish}: every write has ended). */
    TrainingReport describe(TrainingReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("written", written.get());
        m.put("failed", failed.get());
        m.put("skipped", skipped.get());
        m.put("last", last == null ? null : last.toString());
        m.put("final_written", finalWritten); // false: the run's end state is in no checkpoint
        m.put("last_error", lastError);
        return report.withCheckpoints(m);
    }
}
