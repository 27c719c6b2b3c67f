package org.dl4jasync.examples.cli;

import java.nio.file.Path;
import java.time.Duration;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.config.EvaluationMode;
import org.dl4jasync.config.LossSignal;
import org.dl4jasync.config.NonFinitePolicy;
import org.dl4jasync.config.OptimizerState;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.dispatch.DispatchSpec;
import org.dl4jasync.parallelism.ElasticSpec;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.parameters.StoreSpec;
import org.dl4jasync.spec.Choice;
import org.dl4jasync.spec.InvalidOptionException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options of {@code train} (a picocli mixin, so {@code simulate} takes the same ones). Every run option is parsed
 * straight into the core's {@link RunConfig.Builder}, whose setters check it (a bad value is a
 * {@link ParameterException} naming the option: exit 2); its defaults are the core's. The experiment's own options
 * (data, model, SGD settings) and the report files are plain fields here.
 */
public final class TrainOptions {
    /** Passes over the data when no stop condition is given. */
    static final int DEFAULT_EPOCHS = 3;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The run options, filled by the setters below. */
    final RunConfig.Builder config = RunConfig.builder();
    /** {@code --algorithm netfit|parallelwrapper}: DL4J's own loop instead of our trainer; null for ours. */
    Dl4jBaseline.Loop baseline;
    /** {@code --algorithm}; {@code elastic} is async with elastic parallelism. */
    Algorithm algorithm = Algorithm.ASYNC;

    boolean elasticAlgorithm;

    @Mixin
    ExperimentOptions exp;

    @Option(
            order = 6,
            names = "--optimizer-state",
            paramLabel = "MODE",
            description =
                    "Where the optimizer state (momentum, Adam moments) lives: per_worker (one per worker, as the "
                            + "papers) or shared (one beside the shared parameters, applied by the store as a parameter "
                            + "server). Default: per_worker.")
    void optimizerState(String name) {
        set(() -> config.optimizerState(Choice.parse("optimizer_state", name.replace('-', '_'), OptimizerState.class)));
    }

    // ---- the run: how it is trained (into RunConfig)

    @Option(
            order = 7,
            names = "--algorithm",
            paramLabel = "NAME",
            description = "sequential, sync, async, interval (Interval-Asynchrony), elastic (ElAsyncSGD), bounded "
                    + "(staleness bound), ssp (Stale Synchronous Parallel), kasync (K-async, AdaSync), abs (adaptive "
                    + "bounded staleness); or DL4J's own loops for comparison: netfit (net.fit, one thread) or parallelwrapper (ParallelWrapper "
                    + "with --workers). Default: async.")
    void algorithm(String name) {
        baseline = "netfit".equals(name)
                ? Dl4jBaseline.Loop.NET_FIT
                : "parallelwrapper".equals(name) ? Dl4jBaseline.Loop.PARALLEL_WRAPPER : null;
        elasticAlgorithm = "elastic".equals(name);
        try {
            algorithm = baseline == Dl4jBaseline.Loop.NET_FIT
                    ? Algorithm.SEQUENTIAL
                    : baseline != null
                            ? Algorithm.SYNC
                            : elasticAlgorithm ? Algorithm.ASYNC : Choice.parse("algorithm", name, Algorithm.class);
        } catch (InvalidOptionException e) {
            throw new ParameterException(
                    command.commandLine(),
                    new UsageException(
                                    "--algorithm",
                                    name,
                                    "one of sequential, sync, async, interval, elastic, bounded, ssp, kasync, abs, "
                                            + "netfit, parallelwrapper")
                            .getMessage());
        }
    }

    @Option(
            order = 8,
            names = "--store",
            paramLabel = "NAME",
            description = "Shared parameters of the asynchronous algorithms: hogwild, locked or leashed "
                    + "(CAS-published). Default: hogwild.")
    void store(String name) {
        set(() -> config.store(Choice.parse("store", name, ParameterStore.Kind.class)));
    }

    @Option(
            order = 9,
            names = "--persistence",
            paramLabel = "N|unbounded",
            description = "Failed CAS attempts before a leashed update is dropped. Default: unbounded.")
    void persistence(String value) {
        if ("unbounded".equals(value)) {
            config.unboundedPersistence();
            return;
        }
        set(() -> config.persistence(integer("persistence", value, "an integer >= 0 or 'unbounded'")));
    }

    @Option(
            order = 10,
            names = "--workers",
            paramLabel = "M",
            description = "Worker threads. Default: the number of cores.")
    void workers(int m) {
        set(() -> config.workers(m));
    }

    @Option(
            order = 11,
            names = "--seed",
            paramLabel = "S",
            description = "Random seed (initial weights, batch order, workers). " + "Default: " + RunConfig.DEFAULT_SEED
                    + ".")
    void seed(long s) {
        config.seed(s);
    }

    @Option(
            order = 33,
            names = "--loss-monitor",
            paramLabel = "ema|eval|search_eval",
            description = "Loss the controllers compare: ema of minibatch losses (cheap, noisy), eval on "
                    + ExperimentRunner.HELD_OUT + " held-out training examples (accurate, costs a forward pass per "
                    + "phase), or search_eval: eval for the searches (auto y0, --elastic-search log), ema after "
                    + "them. Default: ema.")
    void lossMonitor(String name) {
        set(() -> config.lossMonitor(Choice.parse("loss_monitor", name, LossSignal.class)));
    }

    @Option(
            order = 35,
            names = "--measure-ain",
            description = "Measure the asynchrony-induced noise ‖ξ‖ = η‖∇L(v) − ∇L(θ)‖ of applied updates (a trace).")
    void measureAin(boolean on) {
        config.measureAsynchronyNoise(on);
    }

    // ---- each component's options, parsed onto its spec (null: none of its options given)

    @ArgGroup(exclusive = false, heading = "%nInterval-Asynchrony (--algorithm interval):%n", order = 100)
    IntervalOptions interval;

    @ArgGroup(exclusive = false, heading = "%nThe bounded-staleness family (bounded, ssp, kasync, abs):%n", order = 101)
    StalenessOptions staleness;

    @ArgGroup(exclusive = false, heading = "%nElastic parallelism (ElAsyncSGD):%n", order = 102)
    ElasticOptions elastic;

    @ArgGroup(exclusive = false, heading = "%nStaleness-adaptive step size:%n", order = 103)
    StepSizeOptions stepSize;

    @Option(
            order = 45,
            names = "--epochs",
            paramLabel = "E",
            description = "Passes over the training set. Default: " + DEFAULT_EPOCHS
                    + ", or unbounded when another stop condition is given.")
    void epochs(int e) {
        set(() -> config.epochs(e));
    }

    @Option(order = 46, names = "--max-steps", paramLabel = "N", description = "Stop after N accepted steps (exact).")
    void maxSteps(long n) {
        set(() -> config.maxSteps(n));
    }

    @Option(order = 47, names = "--time-limit", paramLabel = "SECONDS", description = "Stop after this much wall time.")
    void timeLimit(double seconds) {
        set(() -> {
            if (!(seconds > 0)) { // NaN included, said as given (as a Duration NaN would have been echoed as 0.0)
                throw new UsageException("--time-limit", String.valueOf(seconds), "a positive number of seconds");
            }
            return config.timeLimit(Duration.ofNanos((long) Math.min(seconds * 1e9, Long.MAX_VALUE)));
        });
    }

    @Option(
            order = 48,
            names = "--target-accuracy",
            paramLabel = "ACC",
            description = "Stop when test accuracy reaches ACC in (0, 1], evaluated every --eval-every steps.")
    void targetAccuracy(double acc) {
        set(() -> config.targetAccuracy(acc));
        targetAccuracy = acc;
    }

    @Option(
            order = 49,
            names = "--eval-every",
            paramLabel = "N|Ds",
            description = "Evaluate test accuracy every N accepted steps, or every D seconds of training (virtual "
                    + "seconds in simulate), e.g. 0.25s: the same time resolution for every algorithm and worker "
                    + "count. Default: " + RunConfig.DEFAULT_EVAL_EVERY_WITH_TARGET
                    + " steps with --target-accuracy, else only at the end.")
    void evalEvery(String value) {
        set(() ->
                CliValues.stepsOrSeconds("--eval-every", value, "0.25s", config::evalEvery, config::evalEverySeconds));
        evalEvery = value;
    }

    @Option(
            order = 50,
            names = "--eval-mode",
            paramLabel = "MODE",
            description = "paused: the other workers pause while one evaluates and the clock stands still, so times "
                    + "count training only (as for netfit and parallelwrapper); concurrent: they go on training and "
                    + "the evaluation's time is counted. Default: paused.")
    void evalMode(String name) {
        set(() -> config.evaluationMode(Choice.parse("eval_mode", name, EvaluationMode.class)));
    }

    @Option(
            order = 50,
            names = "--on-non-finite",
            paramLabel = "POLICY",
            description = "A step whose loss or update is NaN or infinite is never applied; fail: the run ends with an "
                    + "error naming the step, worker and staleness (exit 1); skip: it is counted (steps_non_finite) "
                    + "and training goes on; stop: the run ends as diverged with its report. Not for netfit and "
                    + "parallelwrapper (DL4J's loops apply every update; an evaluation sees the divergence). "
                    + "Default: fail.")
    void onNonFinite(String name) {
        set(() -> config.onNonFinite(Choice.parse("on_non_finite", name, NonFinitePolicy.class)));
    }

    @ArgGroup(exclusive = false, heading = "%nCheckpoints (train):%n", order = 104)
    CheckpointOptions checkpoints;

    // ---- the report

    @Option(order = 51, names = "--json", paramLabel = "FILE", description = "Write the report as JSON.")
    Path json;

    @Option(
            order = 52,
            names = "--csv",
            paramLabel = "FILE",
            description = "Write the loss and accuracy traces as CSV.")
    Path csv;

    @Option(order = 53, names = "--quiet", description = "No progress display and no summary.")
    boolean quiet;

    /** Given on the command line (for the checks that involve the model or the wrapper); null when not. */
    Double targetAccuracy;

    String evalEvery;

    /** The experiment these options describe. */
    Experiment experiment() {
        return exp.experiment();
    }

    /**
     * The run these options describe, with the command line's epoch default; throws {@link UsageException} when
     * the options do not go together.
     */
    /** The store on the cluster this process is a member of ({@code --cluster}), or null: the in-process one. */
    StoreSpec clusterStore;
    /** Added to the seed: a cluster member's index, so that members draw different batch orders. */
    long seedOffset;

    RunConfig runConfig() {
        try {
            components();
            if (clusterStore != null) {
                config.store(clusterStore);
            }
            RunConfig c = config.build();
            if (seedOffset != 0) {
                c = RunConfig.builder().config(c).seed(c.seed() + seedOffset).build();
            }
            return c.hasStopCondition()
                    ? c
                    : RunConfig.builder().config(c).epochs(DEFAULT_EPOCHS).build();
        } catch (InvalidOptionException e) {
            throw new UsageException(e.render(TrainOptions::option));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The components' specs onto the builder: each from its options, an option of an unused one refused. */
    private void components() {
        IntervalOptions i = interval != null ? interval : new IntervalOptions();
        StalenessOptions b = staleness != null ? staleness : new StalenessOptions();
        if (algorithm == Algorithm.INTERVAL) {
            config.dispatch(i.spec());
        } else {
            i.given().refuse("no value unless {algorithm} is interval (it is " + algorithmName() + ")");
        }
        DispatchSpec d = b.spec(algorithm);
        if (algorithm != Algorithm.INTERVAL) {
            config.dispatch(d);
        }
        ElasticSpec e = (elastic != null ? elastic : new ElasticOptions()).spec(elasticAlgorithm);
        if (e != null) {
            config.elastic(e);
        } else {
            config.fixedParallelism();
        }
        config.stepSize((stepSize != null ? stepSize : new StepSizeOptions()).spec());
        if (checkpoints != null) {
            checkpoints.applyTo(config);
        }
    }

    private String algorithmName() {
        return baseline != null ? baseline.key : elasticAlgorithm ? "elastic" : Choice.key(algorithm);
    }

    /** The command-line spelling of a report key: {@code interval_y} → {@code --interval-y}. */
    static String option(String key) {
        return "--" + key.replace('_', '-');
    }

    interface Setting {
        Object apply();
    }

    /** Applies a setting; a value it refuses becomes picocli's one-line usage error naming the option. */
    void set(Setting s) {
        try {
            s.apply();
        } catch (InvalidOptionException e) {
            throw new ParameterException(command.commandLine(), e.render(TrainOptions::option));
        } catch (UsageException e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
    }

    private static int integer(String key, String text, String expected) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException(option(key), text, expected);
        }
    }
}
