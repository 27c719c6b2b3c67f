package org.dl4jasync.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.IntFunction;
import org.dl4jasync.dispatch.DispatchSpec;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.metrics.StepListener;
import org.dl4jasync.parallelism.ElasticController;
import org.dl4jasync.parallelism.ElasticSpec;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.parameters.StoreSpec;
import org.dl4jasync.spec.InvalidOptionException;
import org.dl4jasync.stepsize.StepSizePolicy;
import org.dl4jasync.stepsize.StepSizeSpec;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.adapter.MultiDataSetIteratorAdapter;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * The run options, shared by {@link RunConfig.Builder} and the engines' builders: each setter checks its value, and
 * {@link #freeze()} the rules between components.
 *
 * @param <B> the concrete builder
 */
public abstract class RunOptions<B extends RunOptions<B>> {
    private RunConfig v = new RunConfig();

    protected RunOptions() {}

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Starts from {@code config}'s settings (replacing every setting made so far). */
    public B config(RunConfig config) {
        this.v = config.clone();
        return self();
    }

    /**
     * The algorithm with its default options ({@link #dispatch} gives them): e.g. {@code INTERVAL} is
     * {@code DispatchSpec.Interval.DEFAULT}, y0 = 64, fixed.
     */
    public B algorithm(Algorithm a) {
        return dispatch(Objects.requireNonNull(a, "algorithm").defaults());
    }

    /** The algorithm with its options, e.g. {@code DispatchSpec.Interval.of(32, new IntervalSchedule.Decay(1, 4096, 4))}. */
    public B dispatch(DispatchSpec spec) {
        v.dispatch = Objects.requireNonNull(spec, "dispatch");
        return self();
    }

    /**
     * A dispatcher of the library user's, created per run from the worker count: as
     * {@code dispatch(new DispatchSpec.Async(factory))}, reported as {@code dispatcher: custom}.
     */
    public B dispatcher(IntFunction<Dispatcher> factory) {
        return dispatch(new DispatchSpec.Async(Objects.requireNonNull(factory, "dispatcher")));
    }

    /** The in-process parameter store of the asynchronous algorithms (default HOGWILD), keeping the persistence set. */
    public B store(ParameterStore.Kind kind) {
        return store(new StoreSpec.InProcess(Objects.requireNonNull(kind, "store"), inProcessPersistence()));
    }

    /**
     * The parameter store with its options: {@link StoreSpec.InProcess} or a store of another module (the cluster
     * module's store on a Hazelcast cluster).
     */
    public B store(StoreSpec spec) {
        v.store = Objects.requireNonNull(spec, "store");
        return self();
    }

    /** Failed CAS attempts allowed per update of the CAS-published store, ≥ 0 (default unbounded). */
    public B persistence(int p) {
        return store(new StoreSpec.InProcess(
                inProcessKind(p), atLeast("persistence", p, 0, "an integer >= 0 or 'unbounded'")));
    }

    /** Failed CAS attempts are never a reason to drop an update (the default). */
    public B unboundedPersistence() {
        return v.store instanceof StoreSpec.InProcess s ? store(StoreSpec.InProcess.of(s.kind())) : self();
    }

    private Integer inProcessPersistence() {
        return v.store instanceof StoreSpec.InProcess s ? s.persistence() : null;
    }

    private ParameterStore.Kind inProcessKind(int p) {
        if (v.store instanceof StoreSpec.InProcess s) {
            return s.kind();
        }
        throw new InvalidOptionException(
                "persistence", p, "no value unless {store} is leashed (it is " + v.store.key() + ")");
    }

    /** Workers, ≥ 1 (default: the number of cores). */
    public B workers(int m) {
        v.workers = atLeast("workers", m, 1, "an integer >= 1");
        return self();
    }

    /** Seeds batch order, the workers' random generators and the simulator's step times. */
    public B seed(long s) {
        v.seed = s;
        return self();
    }

    // ---- stop conditions

    /** Passes over the data, ≥ 1 (default: see {@link RunConfig#epochs(int)}). */
    public B epochs(int e) {
        v.epochs = atLeast("epochs", e, 1, "an integer >= 1");
        return self();
    }

    /** Stop after this many applied updates (exact; for sync: rounds), ≥ 1. */
    public B maxSteps(long n) {
        v.maxSteps = atLeast("max_steps", n, 1, "an integer >= 1");
        return self();
    }

    /** Stop after this much wall time (the simulator: of the simulation itself). */
    public B timeLimit(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new InvalidOptionException(
                    "time_limit", d == null ? null : d.toNanos() / 1e9, "a positive number of seconds");
        }
        v.timeLimit = d;
        return self();
    }

    /** Stop at this virtual time, in seconds (simulator only). */
    public B virtualTimeLimit(double seconds) {
        v.virtualTimeLimit = positiveSeconds("virtual_time_limit", seconds);
        return self();
    }

    /** Stop once accuracy on the evaluation data reaches this, in (0, 1]; needs {@link #evaluation}. */
    public B targetAccuracy(double accuracy) {
        if (!(accuracy > 0 && accuracy <= 1)) {
            throw new InvalidOptionException("target_accuracy", accuracy, "a number in (0, 1]");
        }
        v.targetAccuracy = accuracy;
        return self();
    }

    // ---- evaluation and traces

    /** Evaluate accuracy on {@code data} at the end (and every {@link #evalEvery} steps, if given). */
    public B evaluation(DataSetIterator data) {
        return evaluation(new MultiDataSetIteratorAdapter(Objects.requireNonNull(data, "evaluation data")));
    }

    /**
     * As {@link #evaluation(DataSetIterator)}, for a graph with several inputs or outputs (accuracy of the first
     * output).
     */
    public B evaluation(MultiDataSetIterator data) {
        v.evalData = Objects.requireNonNull(data, "evaluation data");
        return self();
    }

    /** Evaluate accuracy on {@code data} every {@code everySteps} applied updates, ≥ 1, and at the end. */
    public B evaluation(MultiDataSetIterator data, long everySteps) {
        return evaluation(data).evalEvery(everySteps);
    }

    /** Evaluate accuracy on {@code data} every {@code everySteps} applied updates, ≥ 1, and at the end. */
    public B evaluation(DataSetIterator data, long everySteps) {
        return evaluation(data).evalEvery(everySteps);
    }

    /**
     * Evaluate every this many applied updates, ≥ 1 (default: 250 with a target accuracy, else only at the end).
     * Replaces {@link #evalEverySeconds}.
     */
    public B evalEvery(long steps) {
        v.evalEvery = atLeast("eval_every", steps, 1, "an integer >= 1 (accepted steps)");
        v.evalEverySeconds = null;
        return self();
    }

    /**
     * Evaluate every this many seconds of the run's clock (training time on threads, virtual time in simulation):
     * at the first applied update at or after each multiple. Unlike a step count this gives every algorithm and
     * worker count the same time resolution (a sync round is one update of m gradients). Replaces
     * {@link #evalEvery}.
     */
    public B evalEverySeconds(double seconds) {
        v.evalEverySeconds = positiveSeconds("eval_every_seconds", seconds);
        v.evalEvery = null;
        return self();
    }

    /**
     * Whether the other workers pause while one evaluates, keeping evaluation off the time axis
     * ({@link EvaluationMode#PAUSED}, the default), or go on training ({@link EvaluationMode#CONCURRENT}).
     */
    public B evaluationMode(EvaluationMode mode) {
        v.evaluationMode = Objects.requireNonNull(mode, "evaluationMode");
        return self();
    }

    /**
     * What the run does with a step whose loss or update is NaN or infinite, checked on the worker before the update
     * is applied: fail with an exception naming the step, worker and staleness ({@link NonFinitePolicy#FAIL}, the
     * default), skip it and count it ({@link NonFinitePolicy#SKIP}), or end the run as diverged
     * ({@link NonFinitePolicy#STOP}).
     */
    public B onNonFinite(NonFinitePolicy policy) {
        v.nonFinite = Objects.requireNonNull(policy, "onNonFinite");
        return self();
    }

    /**
     * Where the DL4J optimizer state (momentum, Adam moments) lives: one per worker ({@link OptimizerState#PER_WORKER},
     * the default, as the asynchronous SGD papers) or one beside the shared parameters, through which the store forms
     * every update at apply time ({@link OptimizerState#SHARED}, as a parameter server). Either way it survives
     * {@code fit} and ends in the network's updater.
     */
    public B optimizerState(OptimizerState mode) {
        v.optimizerState = Objects.requireNonNull(mode, "optimizerState");
        return self();
    }

    // ---- checkpoints (the thread engine)

    /**
     * Write checkpoints into {@code dir} (created if missing): the network with every worker's updater state and the
     * trainer's own state, atomically, keeping the newest {@link #keepCheckpoints} (default 2), every
     * {@link #checkpointEvery} accepted steps or {@link #checkpointEverySeconds} seconds of training (default 60 s),
     * and once more at the end of the run.
     */
    public B checkpointDir(Path dir) {
        v.checkpointDir = Objects.requireNonNull(dir, "checkpointDir");
        return self();
    }

    /** A checkpoint every this many accepted steps, ≥ 1. Replaces {@link #checkpointEverySeconds}. */
    public B checkpointEvery(long steps) {
        v.checkpointEvery = atLeast("checkpoint_every", steps, 1, "an integer >= 1 (accepted steps)");
        v.checkpointEverySeconds = null;
        return self();
    }

    /** A checkpoint every this many seconds of training (the run's clock). Replaces {@link #checkpointEvery}. */
    public B checkpointEverySeconds(double seconds) {
        v.checkpointEverySeconds = positiveSeconds("checkpoint_every_seconds", seconds);
        v.checkpointEvery = null;
        return self();
    }

    /** How many checkpoints to keep, newest first, ≥ 1 (default 2). */
    public B keepCheckpoints(int k) {
        v.keepCheckpoints = atLeast("keep_checkpoints", k, 1, "an integer >= 1");
        return self();
    }

    /**
     * Continue the training saved in {@code dir}'s newest intact checkpoint (corrupt or partial ones are skipped with
     * a warning): the network, every worker's updater state, the step and epoch counts, the data position, the
     * policies' and controllers' state and the report's counts and traces. The network and the options must be those
     * of the checkpointed run (options that only say how it is watched or stopped may differ); otherwise
     * {@code fit} throws {@link org.dl4jasync.checkpoint.IncompatibleCheckpointException} saying what differs.
     */
    public B resume(Path dir) {
        v.resumeFrom = Objects.requireNonNull(dir, "resume");
        return self();
    }

    /** A loss-trace point every this many applied updates, ≥ 1 (default 50). */
    public B lossTraceEvery(long steps) {
        v.lossTraceEvery = atLeast("loss_trace_every", steps, 1, "an integer >= 1");
        return self();
    }

    /** Measure the asynchrony-induced noise ‖ξ‖ of applied updates (a trace; slows the run). */
    public B measureAsynchronyNoise(boolean on) {
        v.measureAin = on;
        return self();
    }

    /** Sees every finished step (applied, rejected or dropped) on the thread that ran it. */
    public B stepListener(StepListener l) {
        v.stepListeners.add(Objects.requireNonNull(l, "stepListener"));
        return self();
    }

    // ---- the components' specs

    /**
     * Elastic parallelism (ElAsyncSGD) for an asynchronous algorithm: e.g. {@code ElasticSpec.Probing.DEFAULT}, the
     * paper's controller; a {@link ElasticSpec.Custom} wraps a controller of the library user's (it keeps state
     * across runs: give each trainer its own).
     */
    public B elastic(ElasticSpec spec) {
        v.elastic = Objects.requireNonNull(spec, "elastic");
        return self();
    }

    /** As {@code elastic(new ElasticSpec.Custom(controller))}. */
    public B elastic(ElasticController controller) {
        return elastic(new ElasticSpec.Custom(controller));
    }

    /** Fixed parallelism (the default): every worker active. */
    public B fixedParallelism() {
        v.elastic = null;
        return self();
    }

    /**
     * The loss the controllers compare: {@link LossSignal#EMA} (default), {@link LossSignal#EVAL} or
     * {@link LossSignal#SEARCH_EVAL}; the last two need {@link #heldOut}.
     */
    public B lossMonitor(LossSignal s) {
        v.lossMonitor = Objects.requireNonNull(s, "lossMonitor");
        return self();
    }

    /**
     * The held-out sample (not trained on) for {@link LossSignal#EVAL} and {@link LossSignal#SEARCH_EVAL}; detached
     * from any workspace.
     */
    public B heldOut(DataSet sample) {
        if (sample == null || sample.numExamples() == 0) {
            throw new IllegalArgumentException("the held-out sample is empty");
        }
        return heldOut(sample.toMultiDataSet());
    }

    /** As {@link #heldOut(DataSet)}, for a graph with several inputs or outputs. */
    public B heldOut(MultiDataSet sample) {
        if (sample == null
                || sample.numFeatureArrays() == 0
                || sample.getFeatures(0).size(0) == 0) {
            throw new IllegalArgumentException("the held-out sample is empty");
        }
        v.heldOut = sample;
        return self();
    }

    /** The staleness-adaptive step size, e.g. {@code new StepSizeSpec.Tail()} (default: constant). */
    public B stepSize(StepSizeSpec spec) {
        v.stepSize = Objects.requireNonNull(spec, "stepSize");
        return self();
    }

    /**
     * A step-size policy of the library user's, as {@code stepSize(new StepSizeSpec.Custom(policy))}. It keeps
     * state (the observed staleness distribution): give each trainer its own instance.
     */
    public B stepSize(StepSizePolicy policy) {
        return stepSize(new StepSizeSpec.Custom(policy));
    }

    // ---- building

    /** A copy of the settings, after checking the rules between them. */
    protected final RunConfig freeze() {
        RunConfig c = v.clone();
        c.check();
        return c;
    }

    private static int atLeast(String key, int value, int min, String expected) {
        if (value < min) {
            throw new InvalidOptionException(key, value, expected);
        }
        return value;
    }

    private static double positiveSeconds(String key, double seconds) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new InvalidOptionException(key, seconds, "a positive number of seconds");
        }
        return seconds;
    }

    private static long atLeast(String key, long value, long min, String expected) {
        if (value < min) {
            throw new InvalidOptionException(key, value, expected);
        }
        return value;
    }
}
