package org.dl4jasync.trainer;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.dl4jasync.checkpoint.CheckpointDirectory;
import org.dl4jasync.checkpoint.CheckpointFile;
import org.dl4jasync.checkpoint.CheckpointStates;
import org.dl4jasync.checkpoint.Checkpointable;
import org.dl4jasync.config.RunComponents;
import org.dl4jasync.metrics.EvaluationSchedule;
import org.dl4jasync.metrics.StepListener;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.metrics.WorkerStats;
import org.dl4jasync.model.Replica;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's checkpoints (thread engine): when one is due ({@link RunMonitor} asks after each applied update, every N
 * accepted steps or S seconds of training), the worker whose update crosses the boundary pauses the others at their
 * next step boundary ({@link PausingClock}, as a paused evaluation), copies what a resumed run needs —
 * {@link #contents}: the parameters, every worker's updater state, the trainer's counters, the data position, the
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

    private final Run run;
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

    Checkpoints(Run run, Path dir) {
        this.run = run;
        this.schedule = EvaluationSchedule.every(
                run.config.checkpointEvery().orElse(0),
                run.config.checkpointEverySeconds().orElse(0));
        this.directory = new CheckpointDirectory(dir, run.config.keepCheckpoints());
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dl4j-async-checkpoint");
            t.setDaemon(true);
            return t;
        });
        schedule.evaluated(run.acceptedBefore, run.since); // the first boundary is one period past the start
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
        PausingClock pausing = run.pausing;
        CheckpointFile.Contents c;
        pausing.pause(run::stopping);
        try {
            if (run.stopping()) {
                writing.set(false);
                return; // the run is ending: its final checkpoint follows
            }
            c = contents(run, monitor);
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
    void finish() {
        CheckpointFile.Contents c = contents(run, run.monitor);
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

    /** A run's components that keep state across a checkpoint, each under a stable name. */
    static Map<String, Checkpointable<?>> components(
            RunComponents parts, Object dispatcher, Object stepSize, Object elastic) {
        Map<String, Checkpointable<?>> c = new LinkedHashMap<>();
        Object[] named = {dispatcher, stepSize, elastic};
        String[] names = {"dispatcher", "step_size", "elastic"};
        for (int i = 0; i < named.length; i++) {
            if (named[i] instanceof Checkpointable) {
                c.put(names[i], (Checkpointable<?>) named[i]);
            }
        }
        for (int i = 0; i < parts.observers.size(); i++) { // the loss monitor the controllers read
            StepListener o = parts.observers.get(i);
            if (o instanceof Checkpointable && o != dispatcher && o != elastic) {
                c.put("observer_" + i, (Checkpointable<?>) o);
            }
        }
        return c;
    }

    /** A resumed run takes back its monitor's and components' state, before its workers start. */
    static void restore(Run run, Resume resume) {
        run.monitor.restore(resume.monitor);
        for (Map.Entry<String, Checkpointable<?>> e : run.components.entrySet()) {
            CheckpointStates.restore(e.getValue(), resume.components.get(e.getKey()));
        }
    }

    /**
     * The state of {@code run} as a checkpoint holds it; call with every worker between steps (paused or stopped).
     * Copies everything it takes, so the run may go on while it is written.
     */
    static CheckpointFile.Contents contents(Run run, RunMonitor monitor) {
        long version = run.store.version();
        long accepted = run.acceptedBefore + version;
        int iteration = (int) (run.bridge.baseIteration() + version);
        int epoch = run.bridge.currentEpoch();
        INDArray params = run.model.params().dup();
        run.store.copyLatestTo(params);
        INDArray[] updaters = new INDArray[run.m];
        List<WorkerStats.State> stats = new ArrayList<>();
        double now = run.clock.getAsDouble();
        double workerSeconds = run.resume == null ? 0 : run.resume.workerSeconds;
        long startedNow = 0;
        for (int w = 0; w < run.m; w++) {
            WorkerState ws = run.workers[w];
            Replica r = ws == null ? null : ws.replica;
            INDArray u = r == null ? null : r.updaterState();
            updaters[w] = run.optimizer.sharedState
                    ? null
                    : u == null ? (run.resume == null ? null : run.resume.updaterStates[w]) : u.dup();
            WorkerStats s = run.stats[w];
            stats.add(s.snapshot());
            startedNow += s.started;
            workerSeconds += ws == null ? 0 : ws.activeSeconds(now);
        }
        long trained = startedNow - run.startedBefore; // tickets with data in this run: every step has finished
        int closed = run.bridge.epochsCompleted();
        long firstSkip = run.resume == null ? 0 : run.resume.position;
        long position = closed == 0 ? firstSkip + trained : trained - run.source.epochEnd(closed - 1);

        int done = run.resume == null ? 0 : run.resume.epochsDone;
        int epochs = run.source.epochs();
        TrainerState.Data data = new TrainerState.Data(
                epochs == Integer.MAX_VALUE ? epochs : epochs + done,
                done + closed,
                position,
                run.source instanceof InMemoryBatchSource ? ((InMemoryBatchSource) run.source).batchesPerEpoch() : -1,
                run.dataFingerprint == null // streamed data (DataFingerprint)
                        ? NullNode.getInstance()
                        : TextNode.valueOf(run.dataFingerprint));
        Map<String, Map<String, Object>> components = new LinkedHashMap<>();
        run.components.forEach((name, c) -> components.put(name, CheckpointStates.of(c)));
        Long cas = run.store.failedCas();
        TrainerState state = new TrainerState(
                Resume.FORMAT,
                run.m,
                run.config.provenance(),
                accepted,
                data,
                now,
                workerSeconds,
                monitor.evaluationSeconds() + (run.resume == null ? 0 : run.resume.evaluationSeconds),
                (cas == null ? 0 : cas) + (run.resume == null ? 0 : run.resume.failedCas),
                stats,
                monitor.snapshot(),
                components);
        INDArray modelState = null;
        if (run.optimizer.modelState
                != null) { // what the network's updater holds after fit: the shared state or the mean
            modelState = run.optimizer.modelState.dup();
            run.optimizer.into(modelState, updaters);
        }
        return new CheckpointFile.Contents(
                run.model.configurationJson(iteration, epoch),
                params,
                updaters,
                modelState,
                CheckpointStates.tree(state));
    }
}
