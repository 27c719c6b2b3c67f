package org.dl4jasync.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.dl4jasync.parallelism.ElasticController;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.stepsize.StepSizePolicy;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * Everything that defines a training run, whichever engine runs it ({@code AsyncTrainer}: threads, {@code Simulator}:
 * virtual time): the algorithm, the parameter store, the dispatcher and its policy, the step size, the controller and
 * its loss signal, the stop conditions and the evaluation. Immutable; built by {@link Builder} (or by the engines'
 * builders, which extend {@link RunOptions}), where every setting is validated with a message that names it, its value
 * and what is allowed ({@link InvalidOptionException}).
 *
 * <p>The built-in algorithms and policies are chosen by typed values and created afresh for every run by
 * {@link #compose}; {@link #provenance()} is the report's {@code config}. Library users may plug in their own
 * dispatcher, step-size policy or elastic controller ({@link RunOptions#dispatcher}, {@link RunOptions#stepSize(StepSizePolicy)},
 * {@link RunOptions#elastic(ElasticController)}); those are recorded as {@code custom}.
 *
 * <p>Adding an option: a field in {@link RunSettings} with its default, its setter in {@link RunOptions} (with its rule), its
 * line in {@link #provenance()}, its use in {@link RunComponents} or the engine, and its command-line binding.
 */
public final class RunConfig {
    public static final int DEFAULT_INTERVAL_Y = 64;
    public static final int DEFAULT_PROBE_WINDOW = 16;
    public static final int DEFAULT_PROBE_STEP = 4;
    public static final long DEFAULT_PROBE_STEPS = 1024;
    public static final long DEFAULT_PROBE_EXEC = 8192;
    public static final int DEFAULT_Y_DECAY_AMOUNT = 1;
    public static final long DEFAULT_Y_DECAY_EVERY = 4096;
    public static final int DEFAULT_Y_MIN = 4;
    public static final int DEFAULT_ELASTIC_IP = 100;
    public static final int DEFAULT_ELASTIC_DP = 10;
    public static final int DEFAULT_ELASTIC_WP = 1;
    public static final long DEFAULT_EVAL_EVERY_WITH_TARGET = 250;
    public static final long DEFAULT_LOSS_TRACE_EVERY = 50;
    /** Seconds of training between checkpoints when neither steps nor seconds are given. */
    public static final double DEFAULT_CHECKPOINT_SECONDS = 60;

    public static final int DEFAULT_KEEP_CHECKPOINTS = 2;
    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_SSP_SLACK = 3;

    /** The default K of K-async and K0 of ABS for m workers: ⌈m/4⌉. */
    public static int defaultK(int workers) {
        return (workers + 3) / 4;
    }

    final RunSettings v;

    RunConfig(RunSettings v) {
        this.v = v;
    }

    /** A builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    // ---- what the engines read

    public Algorithm algorithm() {
        return v.algorithm;
    }

    /** Whether the active worker count is controlled (ElAsyncSGD): {@link Algorithm#ELASTIC}, elastic parallelism or a custom controller. */
    public boolean elastic() {
        return v.algorithm == Algorithm.ELASTIC || v.parallelism == Parallelism.ELASTIC || v.customElastic != null;
    }

    /** The store the updates go through (the baselines use the exact in-place one: one writer at a time). */
    public ParameterStore.Kind store() {
        return v.algorithm.asynchronous() ? v.store : ParameterStore.Kind.HOGWILD;
    }

    /** Failed CAS attempts allowed per update of the CAS-published store; empty: unbounded. */
    public OptionalInt persistence() {
        return v.persistence == null ? OptionalInt.empty() : OptionalInt.of(v.persistence);
    }

    /** Workers of the run (one for {@link Algorithm#SEQUENTIAL}). */
    public int workers() {
        return v.algorithm == Algorithm.SEQUENTIAL ? 1 : v.workers;
    }

    /** K of K-async (K0 when adaptive): as given, all workers, or the default ⌈m/4⌉. */
    public int kasyncK() {
        return v.kasyncAll ? workers() : v.kasyncK != null ? v.kasyncK : defaultK(workers());
    }

    /** Local SGD steps per submission (K-async, ABS; 1 otherwise). */
    public int localSteps() {
        return v.localSteps != null ? v.localSteps : 1;
    }

    /** SSP's slack s (default {@value #DEFAULT_SSP_SLACK}). */
    public int sspSlack() {
        return v.sspSlack != null ? v.sspSlack : DEFAULT_SSP_SLACK;
    }

    public long seed() {
        return v.seed;
    }

    /** The passes over the data as given, empty when not given. */
    public OptionalInt epochs() {
        return v.epochs == null ? OptionalInt.empty() : OptionalInt.of(v.epochs);
    }

    /**
     * The passes to run: as given; else unbounded ({@link Integer#MAX_VALUE}) when another stop condition is set; else
     * {@code fallback} (the facade's default: one for {@code fit(iterator)} as in DL4J, three for the command line).
     */
    public int epochs(int fallback) {
        if (v.epochs != null) {
            return v.epochs;
        }
        return v.maxSteps != null || v.timeLimit != null || v.virtualTimeLimit != null || v.targetAccuracy != null
                ? Integer.MAX_VALUE
                : fallback;
    }

    public OptionalLong maxSteps() {
        return v.maxSteps == null ? OptionalLong.empty() : OptionalLong.of(v.maxSteps);
    }

    /** Wall-time limit (for the simulator: of the simulation itself). */
    public Optional<Duration> timeLimit() {
        return Optional.ofNullable(v.timeLimit);
    }

    /** Virtual-time limit (simulator only). */
    public OptionalDouble virtualTimeLimit() {
        return v.virtualTimeLimit == null ? OptionalDouble.empty() : OptionalDouble.of(v.virtualTimeLimit);
    }

    public OptionalDouble targetAccuracy() {
        return v.targetAccuracy == null ? OptionalDouble.empty() : OptionalDouble.of(v.targetAccuracy);
    }

    /** Whether any stop condition besides epochs is set. */
    public boolean hasStopCondition() {
        return v.epochs != null
                || v.maxSteps != null
                || v.timeLimit != null
                || v.virtualTimeLimit != null
                || v.targetAccuracy != null;
    }

    /** The evaluation data, if accuracy is evaluated. */
    public Optional<MultiDataSetIterator> evaluationData() {
        return Optional.ofNullable(v.evalData);
    }

    /** Evaluate every this many applied updates: as given, else {@value #DEFAULT_EVAL_EVERY_WITH_TARGET} with a target accuracy; empty: only at the end. */
    public OptionalLong evalEvery() {
        if (v.evalData == null) {
            return OptionalLong.empty();
        }
        if (v.evalEvery != null) {
            return OptionalLong.of(v.evalEvery);
        }
        return v.targetAccuracy != null && v.evalEverySeconds == null
                ? OptionalLong.of(DEFAULT_EVAL_EVERY_WITH_TARGET)
                : OptionalLong.empty();
    }

    /** Evaluate every this many seconds of the run's clock (see {@code RunOptions.evalEverySeconds}); empty: not by time. */
    public OptionalDouble evalEverySeconds() {
        return v.evalData == null || v.evalEverySeconds == null
                ? OptionalDouble.empty()
                : OptionalDouble.of(v.evalEverySeconds);
    }

    /** Whether accuracy is evaluated during the run (by steps or by time), not only at the end. */
    public boolean evaluatesDuringRun() {
        return evalEvery().isPresent() || evalEverySeconds().isPresent();
    }

    public EvaluationMode evaluationMode() {
        return v.evaluationMode;
    }

    /** Where checkpoints are written; empty: none. */
    public Optional<java.nio.file.Path> checkpointDir() {
        return Optional.ofNullable(v.checkpointDir);
    }

    /** Accepted steps between checkpoints; empty when they are by time ({@link #checkpointEverySeconds}). */
    public OptionalLong checkpointEvery() {
        return v.checkpointEvery == null ? OptionalLong.empty() : OptionalLong.of(v.checkpointEvery);
    }

    /** Seconds of training between checkpoints (default {@value #DEFAULT_CHECKPOINT_SECONDS} unless by steps). */
    public OptionalDouble checkpointEverySeconds() {
        if (v.checkpointEverySeconds != null) {
            return OptionalDouble.of(v.checkpointEverySeconds);
        }
        return v.checkpointEvery == null ? OptionalDouble.of(DEFAULT_CHECKPOINT_SECONDS) : OptionalDouble.empty();
    }

    public int keepCheckpoints() {
        return v.keepCheckpoints;
    }

    /** The checkpoint directory to resume from; empty: a new training. */
    public Optional<java.nio.file.Path> resumeFrom() {
        return Optional.ofNullable(v.resumeFrom);
    }

    /** What the run does with a non-finite loss or update (default {@link NonFinitePolicy#FAIL}). */
    public NonFinitePolicy nonFinitePolicy() {
        return v.nonFinite;
    }

    /** Where the optimizer state lives (default {@link OptimizerState#PER_WORKER}). */
    public OptimizerState optimizerState() {
        return v.optimizerState;
    }

    public long lossTraceEvery() {
        return v.lossTraceEvery;
    }

    /** Whether the asynchrony-induced noise of applied updates is measured. */
    public boolean measuresAsynchronyNoise() {
        return v.measureAin;
    }

    /** The loss the controllers compare. */
    public LossSignal lossMonitor() {
        return v.lossMonitor;
    }

    /**
     * What a run needs beyond valid settings (the engines call it when they are built): evaluation data for a
     * target accuracy, the held-out sample of {@link LossSignal#needsHeldOut}. A configuration may be built without it and completed by {@link RunOptions#config}.
     */
    public void checkRunnable() {
        if (v.targetAccuracy != null && v.evalData == null) { // a RunConfig alone may leave the data to the engine
            throw new IllegalArgumentException("targetAccuracy needs evaluation data: call evaluation(iterator)");
        }
        if (v.lossMonitor.needsHeldOut() && v.heldOut == null) {
            throw new InvalidOptionException(
                    "loss_monitor",
                    Choice.key(v.lossMonitor),
                    "ema unless a held-out " + "sample is given (heldOut(sample))");
        }
    }

    /**
     * Whether the step-size rule reads the base learning rate from the model (MindTheStep without {@code mtsEta}):
     * a run without a model's learning rate then fails when it is built.
     */
    public boolean needsModelLearningRate() {
        return v.customStepSize == null && v.stepSize == StepSizeRule.MINDTHESTEP && v.mtsEta == null;
    }

    /** One run's fresh dispatcher, step-size policy, controller, loss monitor and noise meter. */
    public RunComponents compose(RunComponents.Context context) {
        return new RunComponents(v, workers(), context);
    }

    /** The report's {@code config}: every setting, as its report key and text value. */
    public Map<String, Object> provenance() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("algorithm", Choice.key(v.algorithm));
        c.put("store", Choice.key(v.store));
        c.put("persistence", v.persistence == null ? "unbounded" : v.persistence);
        c.put("workers", workers());
        c.put("optimizer_state", Choice.key(v.optimizerState));
        c.put("seed", v.seed);
        c.put("dispatcher", v.customDispatcher == null ? null : "custom");
        c.put("interval_y", v.autoY0 ? "auto" : v.intervalY);
        c.put("interval_policy", Choice.key(v.intervalPolicy));
        c.put("y_decay_amount", v.yDecayAmount);
        c.put("y_decay_every", v.yDecayEvery);
        c.put("y_min", v.yMin);
        c.put("probe_window", v.probeWindow);
        c.put("probe_step", v.probeStep);
        c.put("probe_steps", v.probeSteps);
        c.put("probe_exec", v.probeExec);
        c.put(
                "max_staleness",
                v.algorithm == Algorithm.BOUNDED
                        ? (Object) (v.maxStaleness != null ? v.maxStaleness : (long) workers())
                        : null);
        c.put("ssp_slack", v.algorithm == Algorithm.SSP ? sspSlack() : null);
        c.put("kasync_k", v.algorithm == Algorithm.KASYNC ? (Object) kasyncK() : null);
        c.put("local_steps", localSteps());
        c.put("round_policy", v.customRoundPolicy == null ? null : "custom");
        c.put("kasync_adaptive", v.algorithm == Algorithm.KASYNC ? v.kasyncAdaptive : null);
        c.put(
                "abs_k0",
                v.algorithm == Algorithm.ABS ? (Object) (v.absK0 != null ? v.absK0 : defaultK(workers())) : null);
        c.put(
                "abs_c",
                v.algorithm == Algorithm.ABS
                        ? (Object) (v.absC == null ? (double) workers() : Double.isInfinite(v.absC) ? "inf" : v.absC)
                        : null);
        c.put("parallelism", v.customElastic != null ? "custom" : elastic() ? "elastic" : "fixed");
        c.put("elastic_m0", v.elasticM0);
        c.put("elastic_ip", v.elasticIp);
        c.put("elastic_dp", v.elasticDp);
        c.put("elastic_wp", v.elasticWp);
        c.put("elastic_search", Choice.key(v.elasticSearch));
        c.put("loss_monitor", Choice.key(v.lossMonitor));
        c.put(
                "held_out_examples",
                v.heldOut == null ? null : v.heldOut.getFeatures(0).size(0));
        c.put("baseline_workers", v.baselineWorkers);
        c.put("measure_ain", v.measureAin);
        c.put("step_size", v.customStepSize != null ? "custom:" + v.customStepSize.name() : Choice.key(v.stepSize));
        c.put("tail_amplitude", v.tailAmplitude);
        c.put("tail_phi", Choice.key(v.tailPhi));
        c.put("tail_warmup", v.tailWarmup);
        c.put("tail_refresh", v.tailFrozen ? "frozen" : v.tailRefresh);
        c.put("tail_window", v.tailWindow);
        c.put("mts_momentum", v.mtsMomentum);
        c.put("mts_eta", v.mtsEta);
        c.put("mts_form", Choice.key(v.mtsForm));
        c.put("mts_lambda", v.mtsLambda == MtsLambda.GIVEN ? (Object) v.mtsLambdaValue : Choice.key(v.mtsLambda));
        c.put("normalize", v.normalize);
        c.put("epochs", v.epochs);
        c.put("max_steps", v.maxSteps);
        c.put("time_limit", v.timeLimit == null ? null : v.timeLimit.toNanos() / 1e9);
        c.put("virtual_time_limit", v.virtualTimeLimit);
        c.put("target_accuracy", v.targetAccuracy);
        c.put("eval_every", evalEvery().orElse(0));
        c.put("eval_every_seconds", v.evalEverySeconds);
        c.put("eval_mode", Choice.key(v.evaluationMode));
        c.put("loss_trace_every", v.lossTraceEvery);
        c.put("on_non_finite", Choice.key(v.nonFinite));
        c.put("checkpoint_dir", v.checkpointDir == null ? null : v.checkpointDir.toString());
        c.put("checkpoint_every", v.checkpointDir == null ? null : v.checkpointEvery);
        c.put(
                "checkpoint_every_seconds",
                v.checkpointDir == null
                        ? null
                        : checkpointEverySeconds().isPresent()
                                ? (Object) checkpointEverySeconds().getAsDouble()
                                : null);
        c.put("keep_checkpoints", v.checkpointDir == null ? null : v.keepCheckpoints);
        c.put("resume", v.resumeFrom == null ? null : v.resumeFrom.toString());
        return c;
    }

    /** One line for a human: the algorithm, store, workers and step size. */
    public String describe() {
        String a = Choice.key(v.algorithm);
        String how;
        switch (v.algorithm) {
            case ASYNC:
            case ELASTIC:
                how = a + "/" + Choice.key(v.store);
                break;
            case BOUNDED:
                how = a + "(B " + provenance().get("max_staleness") + ")/" + Choice.key(v.store);
                break;
            case SSP:
                how = a + "(s " + sspSlack() + ")/" + Choice.key(v.store);
                break;
            case KASYNC:
                how = a + "(K " + (v.kasyncAdaptive ? "adaptive from " : "")
                        + provenance().get("kasync_k") + ")/" + Choice.key(v.store);
                break;
            case ABS:
                how = a + "(K0 " + provenance().get("abs_k0") + ", c "
                        + provenance().get("abs_c") + ")/" + Choice.key(v.store);
                break;
            case INTERVAL:
                how = "interval(" + Choice.key(v.intervalPolicy) + ", y0 " + (v.autoY0 ? "auto" : v.intervalY) + ")/"
                        + Choice.key(v.store);
                break;
            default:
                how = a;
        }
        if (elastic() && v.algorithm != Algorithm.ELASTIC) {
            how += " + elastic parallelism";
        }
        int m = workers();
        String step = v.customStepSize != null
                ? ", step size " + v.customStepSize.name()
                : v.stepSize == StepSizeRule.CONSTANT && !v.normalize
                        ? ""
                        : ", step size " + Choice.key(v.stepSize) + (v.normalize ? " (normalised)" : "");
        return how + ", " + m + " worker" + (m == 1 ? "" : "s") + step;
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
    public org.dl4jasync.metrics.EvaluationSchedule evaluationSchedule() {
        return org.dl4jasync.metrics.EvaluationSchedule.every(
                evalEvery().orElse(0), evalEverySeconds().orElse(0));
    }
}
