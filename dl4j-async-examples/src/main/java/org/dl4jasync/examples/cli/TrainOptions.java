package org.dl4jasync.examples.cli;

import java.nio.file.Path;
import java.time.Duration;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.config.Choice;
import org.dl4jasync.config.EvaluationMode;
import org.dl4jasync.config.IntervalSchedule;
import org.dl4jasync.config.InvalidOptionException;
import org.dl4jasync.config.LossSignal;
import org.dl4jasync.config.MtsLambda;
import org.dl4jasync.config.NonFinitePolicy;
import org.dl4jasync.config.Parallelism;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.config.StepSizeRule;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.stepsize.MindTheStepSize;
import org.dl4jasync.stepsize.Phi;
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

    // ---- the experiment: what is trained

    @Option(
            order = 1,
            names = "--dataset",
            paramLabel = "NAME",
            defaultValue = "embedded",
            description = "embedded (8,000/2,000 Fashion-MNIST sample bundled with the jar), fashion-mnist "
                    + "(full 60,000/10,000), cifar10 or cifar100 (binary version). Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(
            order = 2,
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "Directory with the data set's files. Fashion-MNIST IDX files (.gz or raw), default "
                            + "/usr/share/datasets/fashion-mnist, else ~/.deeplearning4j/data/fashion-mnist; CIFAR binary "
                            + "files, default ~/.deeplearning4j/data/cifar10/cifar-10-batches-bin (cifar100/cifar-100-binary),"
                            + " ~/.deeplearning4j/data/cifar10, ~/cifar/cifar-10-batches-bin, ../shared/data/cifar-10-batches-bin.")
    Path dataDir;

    @Option(
            order = 2,
            names = "--augment",
            description = "Random 32×32 crops of the image padded by 4 pixels and horizontal flips, with a shuffle of "
                    + "the examples, drawn afresh every epoch from --seed (train only).")
    boolean augment;

    @Option(
            order = 3,
            names = "--model",
            paramLabel = "NAME",
            defaultValue = "lenet",
            description = "lenet (LeNet-5: two dense layers of 120 and 84, as the paper's text), lenet-authors (one of "
                    + "120, as the Interval-Asynchrony paper's code), mlp (3×128 ReLU) or resnet-small (a residual "
                    + "ComputationGraph: two residual blocks, 16 and 32 channels). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(
            order = 4,
            names = "--batch",
            paramLabel = "B",
            defaultValue = "16",
            description = "Minibatch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(
            order = 5,
            names = "--lr",
            paramLabel = "ETA",
            defaultValue = "0.01",
            description = "Learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(
            order = 6,
            names = "--momentum",
            paramLabel = "MU",
            defaultValue = "0.5",
            description = "Momentum μ (0: plain SGD); its form is --momentum-form. Default: ${DEFAULT-VALUE}.")
    double momentum;

    @Option(
            order = 6,
            names = "--momentum-form",
            paramLabel = "FORM",
            defaultValue = Experiment.DEFAULT_MOMENTUM_FORM,
            description = "nesterov (DL4J's Nesterovs: a gradient lands as (1+μ)·η at once) or heavy-ball (classical "
                    + "momentum δ ← μ·δ − η·g, the papers'; with a step-size rule the factor scales the gradient term "
                    + "only, as in the authors' code). Default: ${DEFAULT-VALUE}.")
    String momentumForm;

    @Option(
            order = 6,
            names = "--init",
            paramLabel = "INIT",
            defaultValue = "xavier",
            description = "Initial weights: xavier (the models' DL4J initialisation) or paper (every weight and bias "
                    + "from N(0, 0.01²), seeded, as the papers' code). Default: ${DEFAULT-VALUE}.")
    String init;

    @Option(
            order = 6,
            names = "--pixels",
            paramLabel = "FORM",
            defaultValue = "standardized",
            description = "CIFAR's inputs: standardized (scaled to [0, 1], then per channel to mean 0 and standard "
                    + "deviation 1) or scaled (x / 255 only, as the Interval-Asynchrony paper's code). Fashion-MNIST "
                    + "is always scaled. Default: ${DEFAULT-VALUE}.")
    String pixels;

    @Option(
            order = 6,
            names = "--optimizer-state",
            paramLabel = "MODE",
            description =
                    "Where the optimizer state (momentum, Adam moments) lives: per_worker (one per worker, as the "
                            + "papers) or shared (one beside the shared parameters, applied by the store as a parameter "
                            + "server). Default: per_worker.")
    void optimizerState(String name) {
        set(() -> config.optimizerState(
                Choice.parse("optimizer_state", name.replace('-', '_'), org.dl4jasync.config.OptimizerState.class)));
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
        set(() -> {
            try {
                return config.algorithm(
                        baseline == Dl4jBaseline.Loop.NET_FIT
                                ? Algorithm.SEQUENTIAL
                                : baseline != null ? Algorithm.SYNC : Choice.parse("algorithm", name, Algorithm.class));
            } catch (InvalidOptionException e) {
                throw new UsageException(
                        "--algorithm",
                        name,
                        "one of sequential, sync, async, interval, elastic, "
                                + "bounded, ssp, kasync, abs, netfit, parallelwrapper");
            }
        });
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
            order = 12,
            names = "--interval-y",
            paramLabel = "Y|auto",
            description = "Interval-Asynchrony: size y0 of the first interval (accepted steps), or auto (a search over "
                    + "y = 2, 4, 8, …, 4m finished steps each, judged by the loss monitor's decrease per second). Default: "
                    + RunConfig.DEFAULT_INTERVAL_Y + ".")
    void intervalY(String value) {
        if ("auto".equals(value)) {
            config.autoIntervalY();
            return;
        }
        set(() -> config.intervalY(integer("interval_y", value, "an integer >= 1 or 'auto'")));
    }

    @Option(
            order = 13,
            names = "--interval-policy",
            paramLabel = "NAME",
            description = "Interval-Asynchrony: fixed (y constant), decay or probe. Default: fixed.")
    void intervalPolicy(String name) {
        set(() -> config.intervalPolicy(Choice.parse("interval_policy", name, IntervalSchedule.class)));
    }

    @Option(
            order = 14,
            names = "--probe-window",
            paramLabel = "W",
            description = "probe: window width around y (grows with y, see docs). Default: "
                    + RunConfig.DEFAULT_PROBE_WINDOW + ".")
    void probeWindow(int w) {
        set(() -> config.probeWindow(w));
    }

    @Option(
            order = 15,
            names = "--probe-step",
            paramLabel = "S",
            description =
                    "probe: distance between candidates (grows with y). Default: " + RunConfig.DEFAULT_PROBE_STEP + ".")
    void probeStep(int s) {
        set(() -> config.probeStep(s));
    }

    @Option(
            order = 16,
            names = "--probe-steps",
            paramLabel = "P",
            description = "probe: accepted steps at each candidate. Default: " + RunConfig.DEFAULT_PROBE_STEPS + ".")
    void probeSteps(long n) {
        set(() -> config.probeSteps(n));
    }

    @Option(
            order = 17,
            names = "--probe-exec",
            paramLabel = "X",
            description = "probe: accepted steps of an execution phase. Default: " + RunConfig.DEFAULT_PROBE_EXEC + ".")
    void probeExec(long n) {
        set(() -> config.probeExec(n));
    }

    @Option(
            order = 18,
            names = "--y-decay-amount",
            paramLabel = "N",
            description = "decay: y decreases by N ... Default: " + RunConfig.DEFAULT_Y_DECAY_AMOUNT + ".")
    void yDecayAmount(int n) {
        set(() -> config.yDecayAmount(n));
    }

    @Option(
            order = 19,
            names = "--y-decay-every",
            paramLabel = "STEPS",
            description = "decay: ... every STEPS accepted steps. Default: " + RunConfig.DEFAULT_Y_DECAY_EVERY + ".")
    void yDecayEvery(long n) {
        set(() -> config.yDecayEvery(n));
    }

    @Option(
            order = 20,
            names = "--y-min",
            paramLabel = "Y",
            description = "decay: never below Y. Default: " + RunConfig.DEFAULT_Y_MIN + ".")
    void yMin(int y) {
        set(() -> config.yMin(y));
    }

    @Option(
            order = 21,
            names = "--max-staleness",
            paramLabel = "B",
            description = "bounded: reject an update whose staleness would exceed B (decided exactly on the version "
                    + "counter, on every store). Default: the number of workers.")
    void maxStaleness(long b) {
        set(() -> config.maxStaleness(b));
    }

    @Option(
            order = 22,
            names = "--ssp-slack",
            paramLabel = "S",
            description = "ssp: a worker may be at most S steps ahead of the slowest active worker (0: lock-step). "
                    + "Default: " + RunConfig.DEFAULT_SSP_SLACK + ".")
    void sspSlack(int slack) {
        set(() -> config.sspSlack(slack));
    }

    @Option(
            order = 23,
            names = "--kasync-k",
            paramLabel = "K|all",
            description = "kasync: submissions averaged into each round's update, in [1, workers], or all (every "
                    + "worker once per round; with --local-steps: synchronous local SGD); K0 with --kasync-adaptive. "
                    + "Default: workers/4, rounded up.")
    void kasyncK(String value) {
        if ("all".equals(value)) {
            set(config::kasyncKAll);
            return;
        }
        set(() -> config.kasyncK(integer("kasync_k", value, "an integer in [1, --workers] or 'all'")));
    }

    @Option(
            order = 24,
            names = "--kasync-adaptive",
            description = "kasync: AdaSync's K_t = ceil(K0 sqrt(L0/L_t)), capped at the workers, L the smoothed "
                    + "training loss.")
    void kasyncAdaptive(boolean on) {
        set(() -> config.kasyncAdaptive(on));
    }

    @Option(
            order = 25,
            names = "--abs-k0",
            paramLabel = "K0",
            description = "abs: AdaSync's initial K0, in [1, workers]. Default: workers/4, rounded up.")
    void absK0(int k0) {
        set(() -> config.absK0(k0));
    }

    @Option(
            order = 26,
            names = "--abs-c",
            paramLabel = "C|inf",
            description = "abs: staleness threshold S_t = max(1, floor(C/K_t)) rounds; inf: none (AdaSync). "
                    + "Default: the number of workers.")
    void absC(String value) {
        set(() -> {
            if ("inf".equals(value)) {
                return config.absC(Double.POSITIVE_INFINITY);
            }
            try {
                return config.absC(Double.parseDouble(value));
            } catch (NumberFormatException e) {
                throw new UsageException("--abs-c", value, "a positive number or 'inf'");
            }
        });
    }

    @Option(
            order = 27,
            names = "--local-steps",
            paramLabel = "H",
            description = "kasync, abs: local SGD, H steps on the worker's own copy before it submits their summed "
                    + "update (the ABS paper uses 10). Default: 1.")
    void localSteps(int h) {
        set(() -> config.localSteps(h));
    }

    @Option(
            order = 28,
            names = "--parallelism",
            paramLabel = "fixed|elastic",
            description = "elastic: ElAsyncSGD's controller adapts the active worker count (with async or interval). "
                    + "Default: fixed.")
    void parallelism(String name) {
        set(() -> config.parallelism(Choice.parse("parallelism", name, Parallelism.class)));
    }

    @Option(
            order = 29,
            names = "--elastic-m0",
            paramLabel = "M",
            description = "Elastic: initial active workers. Default: workers/2.")
    void elasticM0(int m0) {
        set(() -> config.elasticM0(m0));
    }

    @Option(
            order = 30,
            names = "--elastic-ip",
            paramLabel = "K",
            description =
                    "Elastic: execution phase of K × m accepted steps. Default: " + RunConfig.DEFAULT_ELASTIC_IP + ".")
    void elasticIp(int k) {
        set(() -> config.elasticIp(k));
    }

    @Option(
            order = 31,
            names = "--elastic-dp",
            paramLabel = "K",
            description =
                    "Elastic: K × m accepted steps per probed level. Default: " + RunConfig.DEFAULT_ELASTIC_DP + ".")
    void elasticDp(int k) {
        set(() -> config.elasticDp(k));
    }

    @Option(
            order = 32,
            names = "--elastic-search",
            paramLabel = "paper|log",
            description = "Elastic: find m* as the paper does (from m0, one level per probing phase) or by a log-scale "
                    + "search over 1, 2, 4, … first. Default: paper.")
    void elasticSearch(String name) {
        set(() -> config.elasticSearch(
                Choice.parse("elastic_search", name, org.dl4jasync.parallelism.ElasticSearch.class)));
    }

    @Option(
            order = 32,
            names = "--elastic-wp",
            paramLabel = "W",
            description = "Elastic: levels probed on each side of m. Default: " + RunConfig.DEFAULT_ELASTIC_WP + ".")
    void elasticWp(int w) {
        set(() -> config.elasticWp(w));
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
            order = 34,
            names = "--baseline-workers",
            paramLabel = "M",
            description = "Elastic: report the break-even time against a constant-M run's worker-seconds.")
    void baselineWorkers(int m) {
        set(() -> config.baselineWorkers(m));
    }

    @Option(
            order = 35,
            names = "--measure-ain",
            description = "Measure the asynchrony-induced noise ‖ξ‖ = η‖∇L(v) − ∇L(θ)‖ of applied updates (a trace).")
    void measureAin(boolean on) {
        config.measureAsynchronyNoise(on);
    }

    @Option(
            order = 36,
            names = "--step-size",
            paramLabel = "NAME",
            description = "Staleness-adaptive step size for async and interval: constant, tail (TAIL-τ), inverse "
                    + "(1/(τ+1)), fleet (exp(−βτ)) or mindthestep. Default: constant.")
    void stepSize(String name) {
        set(() -> config.stepSize(Choice.parse("step_size", name, StepSizeRule.class)));
    }

    @Option(
            order = 37,
            names = "--tail-amplitude",
            paramLabel = "A",
            description = "tail: factors span [1 − A, 1 + A], A in [0, 1]. Default: 1.")
    void tailAmplitude(double a) {
        set(() -> config.tailAmplitude(a));
    }

    @Option(
            order = 38,
            names = "--tail-phi",
            paramLabel = "PHI",
            description = "tail: shaping function identity, smoothstep or step. Default: identity.")
    void tailPhi(String name) {
        set(() -> config.tailPhi(Choice.parse("tail_phi", name, Phi.class)));
    }

    @Option(
            order = 39,
            names = "--tail-warmup",
            paramLabel = "N",
            description = "tail, mindthestep, --normalize: applied updates at factor 1 before the staleness "
                    + "distribution is estimated (from the last third of them). Default: 15 × workers.")
    void tailWarmup(long n) {
        set(() -> config.tailWarmup(n));
    }

    @Option(
            order = 40,
            names = "--tail-refresh",
            paramLabel = "frozen|R",
            description = "Re-estimate the distribution every R applied updates over the last --tail-window, or "
                    + "keep the warm-up's estimate (frozen). Default: window / 10.")
    void tailRefresh(String value) {
        if ("frozen".equals(value)) {
            config.tailFrozen();
            return;
        }
        set(() -> config.tailRefresh(integer("tail_refresh", value, "'frozen' or an integer >= 1")));
    }

    @Option(
            order = 41,
            names = "--tail-window",
            paramLabel = "K",
            description = "Applied updates the estimate covers. Default: max(1000, 10 × workers).")
    void tailWindow(int k) {
        set(() -> config.tailWindow(k));
    }

    @Option(
            order = 42,
            names = "--mts-momentum",
            paramLabel = "K",
            description = "mindthestep: K >= 0 in c(τ) (thesis Corollary A.4.7). Default: 1.")
    void mtsMomentum(double k) {
        set(() -> config.mtsMomentum(k));
    }

    @Option(
            order = 42,
            names = "--mts-eta",
            paramLabel = "ETA",
            description =
                    "mindthestep: η in c(τ). Default: the model's learning rate (--lr); needed with --model none.")
    void mtsEta(double eta) {
        set(() -> config.mtsEta(eta));
    }

    @Option(
            order = 42,
            names = "--mts-form",
            paramLabel = "printed|rederived",
            description = "mindthestep: c(τ) as eq. A.18 prints it, or re-derived without its 1/e^λ. Default: printed.")
    void mtsForm(String form) {
        set(() -> config.mtsForm(Choice.parse("mts_form", form, MindTheStepSize.Form.class)));
    }

    @Option(
            order = 43,
            names = "--mts-lambda",
            paramLabel = "LAMBDA|workers|measured",
            description = "mindthestep: λ of the Poisson staleness model. Default: workers.")
    void mtsLambda(String value) {
        if ("workers".equals(value) || "measured".equals(value)) {
            config.mtsLambda(Choice.parse("mts_lambda", value, MtsLambda.class));
            return;
        }
        set(() -> {
            double l;
            try {
                l = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new UsageException("--mts-lambda", value, "a positive number, 'workers' or 'measured'");
            }
            if (!(l > 0 && Double.isFinite(l))) {
                throw new UsageException("--mts-lambda", value, "a positive number, 'workers' or 'measured'");
            }
            return config.mtsLambda(l);
        });
    }

    @Option(
            order = 44,
            names = "--normalize",
            description = "Scale the step-size factors to mean 1 over the observed staleness (fair comparison).")
    void normalize(boolean on) {
        config.normalize(on);
    }

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
        stepsOrSeconds("--eval-every", value, "0.25s", config::evalEvery, config::evalEverySeconds);
        evalEvery = value;
    }

    /**
     * An option that takes N accepted steps or D seconds written {@code Ds}: calls {@code steps} or {@code seconds};
     * anything else (or a value they refuse) is a usage error saying both forms.
     */
    private void stepsOrSeconds(
            String option,
            String value,
            String example,
            java.util.function.LongConsumer steps,
            java.util.function.DoubleConsumer seconds) {
        String expected =
                "an integer >= 1 (accepted steps) or a positive number of seconds followed by s (e.g. " + example + ")";
        set(() -> {
            try {
                if (value.endsWith("s")) {
                    seconds.accept(Double.parseDouble(value.substring(0, value.length() - 1)));
                } else {
                    steps.accept(Long.parseLong(value));
                }
                return null;
            } catch (NumberFormatException | InvalidOptionException e) {
                throw new UsageException(option, value, expected);
            }
        });
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

    // ---- checkpoints

    @Option(
            order = 51,
            names = "--checkpoint-dir",
            paramLabel = "DIR",
            description = "Write checkpoints into DIR (train only): the network with every worker's updater state "
                    + "(DL4J's ModelSerializer reads it) and the trainer's state, atomically; the newest "
                    + "--keep-checkpoints are kept; one more at the end of the run.")
    void checkpointDir(Path dir) {
        set(() -> config.checkpointDir(dir));
    }

    @Option(
            order = 51,
            names = "--checkpoint-every",
            paramLabel = "N|Ds",
            description = "A checkpoint every N accepted steps, or every D seconds of training (e.g. 60s). "
                    + "Default: 60s.")
    void checkpointEvery(String value) {
        stepsOrSeconds("--checkpoint-every", value, "60s", config::checkpointEvery, config::checkpointEverySeconds);
    }

    @Option(
            order = 51,
            names = "--keep-checkpoints",
            paramLabel = "K",
            description = "How many checkpoints to keep, newest first. Default: 2.")
    void keepCheckpoints(int k) {
        set(() -> config.keepCheckpoints(k));
    }

    @Option(
            order = 51,
            names = "--resume",
            paramLabel = "DIR",
            description = "Continue the training saved in DIR's newest intact checkpoint (a corrupt or partial one is "
                    + "skipped with a warning): give the same data, model and options as the run that wrote it "
                    + "(stop conditions, evaluation and checkpoint options may differ); otherwise exit 2 saying "
                    + "what differs.")
    void resume(Path dir) {
        set(() -> config.resume(dir));
    }

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
        return new Experiment(dataset, dataDir, model, batch, lr, momentum, augment, momentumForm, init, pixels);
    }

    /**
     * The run these options describe, with the command line's epoch default; throws {@link UsageException} when
     * the options do not go together.
     */
    RunConfig runConfig() {
        try {
            RunConfig c = config.build();
            return c.hasStopCondition()
                    ? c
                    : RunConfig.builder().config(c).epochs(DEFAULT_EPOCHS).build();
        } catch (InvalidOptionException e) {
            throw new UsageException(e.render(TrainOptions::option));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
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
