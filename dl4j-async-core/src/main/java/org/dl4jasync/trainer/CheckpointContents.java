package org.dl4jasync.trainer;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dl4jasync.checkpoint.CheckpointFile;
import org.dl4jasync.checkpoint.CheckpointStates;
import org.dl4jasync.checkpoint.Checkpointable;
import org.dl4jasync.config.RunComponents;
import org.dl4jasync.metrics.StepListener;
import org.dl4jasync.metrics.WorkerStats;
import org.dl4jasync.model.Replica;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A run's state as a checkpoint holds it, and back: {@link #of} reads a paused (or ended) run's parts into the
 * file's contents ({@link TrainerState} and the arrays), {@link #restore} gives a resumed run's monitor and
 * components their state before its workers start. Like {@link ReportAssembler}, a function of the run's parts,
 * written once; {@link Checkpoints} decides when and writes.
 */
final class CheckpointContents {
    private CheckpointContents() {}

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
            if (!resume.components.containsKey(e.getKey())) { // null: a component that kept no state
                throw new IllegalArgumentException("no state for the run's " + e.getKey());
            }
            CheckpointStates.restore(e.getValue(), resume.components.get(e.getKey()));
        }
    }

    /**
     * The state of {@code run} as a checkpoint holds it; call with every worker between steps (paused or stopped).
     * Copies everything it takes, so the run may go on while it is written.
     */
    static CheckpointFile.Contents of(Run run, RunMonitor monitor) {
        long version = run.store.applied();
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
