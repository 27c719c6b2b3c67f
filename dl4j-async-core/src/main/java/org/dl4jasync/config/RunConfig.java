package org.dl4jasync.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.dl4jasync.dispatch.DispatchSpec;
import org.dl4jasync.metrics.EvaluationSchedule;
import org.dl4jasync.metrics.StepListener;
import org.dl4jasync.parallelism.ElasticSpec;
import org.dl4jasync.parameters.StoreSpec;
import org.dl4jasync.spec.Choice;
import org.dl4jasync.spec.InvalidOptionException;
import org.dl4jasync.stepsize.StepSizeSpec;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * Everything that defines a training run, whichever engine runs it ({@code AsyncTrainer}: threads, {@code Simulator}:
 * virtual time). Each component's options are its own typed spec, which checks them and creates the component:
 * {@link DispatchSpec} (the algorithm and its options), {@link StepSizeSpec}, {@link ElasticSpec} (none: fixed
 * parallelism). This class holds those specs and the options that cut across components: workers, seed, store,
 * optimizer state, stop conditions, evaluation, checkpoints, the non-finite policy and the loss the controllers read.
 * Immutable; built by {@link Builder} (or the engines' builders, which extend {@link RunOptions}), whose setters check
 * each value ({@link InvalidOptionException}: the report key, the value and what is allowed) and whose
 * {@code build()} checks the few rules between components ({@link #check()}).
 *
 * <p>{@link #compose} creates one run's components; {@link #provenance()} is the report's {@code config}. Adding an
 * option: DESIGN.md, "Configuration".
 */
public final class RunConfig implements Cloneable {
    public static final long DEFAULT_EVAL_EVERY_WITH_TARGET = 250;
    public static final long DEFAULT_LOSS_TRACE_EVERY = 50;
    /** Seconds of training between checkpoints when neither steps nor seconds are given. */
    public static final double DEFAULT_CHECKPOINT_SECONDS = 60;

    public static final int DEFAULT_KEEP_CHECKPOINTS = 2;
    public static final long DEFAULT_SEED = 42;

    // The fields are written only by RunOptions, on its own draft, before build() copies it (clone()); a built
    // RunConfig is never written again.
    DispatchSpec dispatch = new DispatchSpec.Async();
    StepSizeSpec stepSize = new StepSizeSpec.Constant();
    /** Null: fixed parallelism. */
    ElasticSpec elastic;

    StoreSpec store = StoreSpec.DEFAULT;

    int workers = Runtime.getRuntime().availableProcessors();
    long seed = DEFAULT_SEED;
    // stop conditions (null: not set)
    Integer epochs;
    Long maxSteps;
    Duration timeLimit;
    Double virtualTimeLimit;
    Double targetAccuracy;
    // evaluation and traces
    MultiDataSetIterator evalData;
    /** Null: the default ({@link #evalEvery()}). */
    Long evalEvery;
    /** Null: not by time. */
    Double evalEverySeconds;

    EvaluationMode evaluationMode = EvaluationMode.PAUSED;
    NonFinitePolicy nonFinite = NonFinitePolicy.FAIL;
    OptimizerState optimizerState = OptimizerState.PER_WORKER;
    // checkpoints (threads only)
    Path checkpointDir;
    /** Null: not by steps. */
    Long checkpointEvery;
    /** Null: not by time (the default when neither is given: {@link #DEFAULT_CHECKPOINT_SECONDS}). */
    Double checkpointEverySeconds;

    int keepCheckpoints = DEFAULT_KEEP_CHECKPOINTS;
    Path resumeFrom;
    long lossTraceEvery = DEFAULT_LOSS_TRACE_EVERY;
    boolean measureAin;
    // the loss the controllers read
    LossSignal lossMonitor = LossSignal.EMA;
    MultiDataSet heldOut;
    List<StepListener> stepListeners = new ArrayList<>();

    RunConfig() {}

    @Override
    protected RunConfig clone() {
        try {
            RunConfig c = (RunConfig) super.clone();
            c.stepListeners = new ArrayList<>(stepListeners);
            return c;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /** A builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    // ---- the rules between components

    /** The rules that involve more than one component or the worker count ({@link ComponentRules}). */
    void check() {
        ComponentRules.check(this);
    }

    /** Whether a controller of the run reads the loss monitor: elastic parallelism, y-probing or the auto-y0 search. */
    boolean readsLoss() {
        return dispatch.readsLoss() || (elastic != null && elastic.readsLoss());
    }

    // ---- what the engines read

    /** The algorithm: the dispatch spec's kind. */
    public Algorithm algorithm() {
        return Choice.parse("algorithm", dispatch.key(), Algorithm.class);
    }

    /** How the workers are coordinated, with the algorithm's options. */
    public DispatchSpec dispatch() {
        return dispatch;
    }

    /** The staleness-adaptive step size. */
    public StepSizeSpec stepSize() {
        return stepSize;
    }

    /** The elastic parallelism; empty: fixed. */
    public Optional<ElasticSpec> elasticSpec() {
        return Optional.ofNullable(elastic);
    }

    /** Whether the active worker count is controlled (ElAsyncSGD): elastic parallelism or a custom controller. */
    public boolean elastic() {
        return elastic != null;
    }

    /**
     * The store the updates go through, with its options (the baselines use the exact in-place one: one writer at a
     * time; the options' rules refuse a store outside the process for them).
     */
    public StoreSpec store() {
        return dispatch.asynchronous() ? store : StoreSpec.DEFAULT;
    }

    /** Workers of the run (one for {@link Algorithm#SEQUENTIAL}). */
    public int workers() {
        return dispatch instanceof DispatchSpec.Sequential ? 1 : workers;
    }

    /**
     * The workers whose submissions fill a round-based algorithm's rounds: this run's, or on a store that other
     * processes train on, every process's ({@link CoordinatedStore#roundWorkers}); K, K0 and c are bounded by and
     * default from it.
     */
    public int roundWorkers() {
        return store instanceof CoordinatedStore shared ? shared.roundWorkers(workers()) : workers();
    }

    /** Local SGD steps per submission (K-async, ABS; 1 otherwise). */
    public int localSteps() {
        return dispatch.localSteps();
    }

    public long seed() {
        return seed;
    }

    /** The passes over the data as given, empty when not given. */
    public OptionalInt epochs() {
        return epochs == null ? OptionalInt.empty() : OptionalInt.of(epochs);
    }

    /**
     * The passes to run: as given; else unbounded ({@link Integer#MAX_VALUE}) when another stop condition is set; else
     * {@code fallback} (the facade's default: one for {@code fit(iterator)} as in DL4J, three for the command line).
     */
    public int epochs(int fallback) {
        if (epochs != null) {
            return epochs;
        }
        return maxSteps != null || timeLimit != null || virtualTimeLimit != null || targetAccuracy != null
                ? Integer.MAX_VALUE
                : fallback;
    }

    public OptionalLong maxSteps() {
        return maxSteps == null ? OptionalLong.empty() : OptionalLong.of(maxSteps);
    }

    /** Wall-time limit (for the simulator: of the simulation itself). */
    public Optional<Duration> timeLimit() {
        return Optional.ofNullable(timeLimit);
    }

    /** Virtual-time limit (simulator only). */
    public OptionalDouble virtualTimeLimit() {
        return virtualTimeLimit == null ? OptionalDouble.empty() : OptionalDouble.of(virtualTimeLimit);
    }

    public OptionalDouble targetAccuracy() {
        return targetAccuracy == null ? OptionalDouble.empty() : OptionalDouble.of(targetAccuracy);
    }

    /** Whether any stop condition besides epochs is set. */
    public boolean hasStopCondition() {
        return epochs != null
                || maxSteps != null
                || timeLimit != null
                || virtualTimeLimit != null
                || targetAccuracy != null;
    }

    /** The evaluation data, if accuracy is evaluated. */
    public Optional<MultiDataSetIterator> evaluationData() {
        return Optional.ofNullable(evalData);
    }

    /** Evaluate every this many applied updates: as given, else {@value #DEFAULT_EVAL_EVERY_WITH_TARGET} with a target accuracy; empty: only at the end. */
    public OptionalLong evalEvery() {
        if (evalData == null) {
            return OptionalLong.empty();
        }
        if (evalEvery != null) {
            return OptionalLong.of(evalEvery);
        }
        return targetAccuracy != null && evalEverySeconds == null
                ? OptionalLong.of(DEFAULT_EVAL_EVERY_WITH_TARGET)
                : OptionalLong.empty();
    }

    /** Evaluate every this many seconds of the run's clock (see {@code RunOptions.evalEverySeconds}); empty: not by time. */
    public OptionalDouble evalEverySeconds() {
        return evalData == null || evalEverySeconds == null
                ? OptionalDouble.empty()
                : OptionalDouble.of(evalEverySeconds);
    }

    /** Whether accuracy is evaluated during the run (by steps or by time), not only at the end. */
    public boolean evaluatesDuringRun() {
        return evalEvery().isPresent() || evalEverySeconds().isPresent();
    }

    public EvaluationMode evaluationMode() {
        return evaluationMode;
    }

    /** Where checkpoints are written; empty: none. */
    public Optional<Path> checkpointDir() {
        return Optional.ofNullable(checkpointDir);
    }

    /** Accepted steps between checkpoints; empty when they are by time ({@link #checkpointEverySeconds}). */
    public OptionalLong checkpointEvery() {
        return checkpointEvery == null ? OptionalLong.empty() : OptionalLong.of(checkpointEvery);
    }

    /** Seconds of training between checkpoints (default {@value #DEFAULT_CHECKPOINT_SECONDS} unless by steps). */
    public OptionalDouble checkpointEverySeconds() {
        if (checkpointEverySeconds != null) {
            return OptionalDouble.of(checkpointEverySeconds);
        }
        return checkpointEvery == null ? OptionalDouble.of(DEFAULT_CHECKPOINT_SECONDS) : OptionalDouble.empty();
    }

    public int keepCheckpoints() {
        return keepCheckpoints;
    }

    /** The checkpoint directory to resume from; empty: a new training. */
    public Optional<Path> resumeFrom() {
        return Optional.ofNullable(resumeFrom);
    }

    /** What the run does with a non-finite loss or update (default {@link NonFinitePolicy#FAIL}). */
    public NonFinitePolicy nonFinitePolicy() {
        return nonFinite;
    }

    /** Where the optimizer state lives (default {@link OptimizerState#PER_WORKER}). */
    public OptimizerState optimizerState() {
        return optimizerState;
    }

    public long lossTraceEvery() {
        return lossTraceEvery;
    }

    /** Whether the asynchrony-induced noise of applied updates is measured. */
    public boolean measuresAsynchronyNoise() {
        return measureAin;
    }

    /** The loss the controllers compare. */
    public LossSignal lossMonitor() {
        return lossMonitor;
    }

    /**
     * What a run needs beyond valid settings (the engines call it when they are built): evaluation data for a
     * target accuracy, the held-out sample of {@link LossSignal#needsHeldOut}. A configuration may be built without it and completed by {@link RunOptions#config}.
     */
    public void checkRunnable() {
        if (targetAccuracy != null && evalData == null) { // a RunConfig alone may leave the data to the engine
            throw new IllegalArgumentException("targetAccuracy needs evaluation data: call evaluation(iterator)");
        }
        if (lossMonitor.needsHeldOut() && heldOut == null) {
            throw new InvalidOptionException(
                    "loss_monitor",
                    Choice.key(lossMonitor),
                    "ema unless a held-out " + "sample is given (heldOut(sample))");
        }
    }

    /**
     * Whether the step-size rule reads the base learning rate from the model (MindTheStep without its η): a run
     * without a model's learning rate then fails when it is built.
     */
    public boolean needsModelLearningRate() {
        return stepSize.needsModelLearningRate();
    }

    /** One run's fresh dispatcher, step-size policy, controller, loss monitor and noise meter. */
    public RunComponents compose(RunComponents.Context context) {
        return new RunComponents(this, workers(), context);
    }

    /** The report's {@code config}: every setting, as its report key and text value ({@link RunProvenance}). */
    public Map<String, Object> provenance() {
        return RunProvenance.of(this);
    }

    /** One line for a human: the algorithm, store, workers and step size. */
    public String describe() {
        return RunProvenance.describe(this);
    }

    @Override
    public String toString() {
        return provenance().toString();
    }

    /** {@code RunConfig.builder().algorithm(Algorithm.INTERVAL).workers(8).maxSteps(10_000).build()}. */
    public static final class Builder extends RunOptions<Builder> {
        Builder() {}

        public RunConfig build() {
            return freeze();
        }
    }

    /** The run's evaluation schedule: every {@link #evalEvery()} updates or {@link #evalEverySeconds()} seconds. */
    public EvaluationSchedule evaluationSchedule() {
        return EvaluationSchedule.every(
                evalEvery().orElse(0), evalEverySeconds().orElse(0));
    }
}
