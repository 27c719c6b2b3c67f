package org.dl4jasync.config;

import java.time.Duration;
import java.util.Objects;
import java.util.function.IntFunction;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.dispatch.RoundPolicy;
import org.dl4jasync.metrics.StepListener;
import org.dl4jasync.parallelism.ElasticController;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.stepsize.Phi;
import org.dl4jasync.stepsize.StepSizePolicy;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.adapter.MultiDataSetIteratorAdapter;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * The run options, shared by {@link RunConfig.Builder} and the engines' builders: each setter checks its value, and
 * {@link #freeze()} the rules between them.
 *
 * @param <B> the concrete builder
 */
public abstract class RunOptions<B extends RunOptions<B>> {
    private RunSettings v = new RunSettings();

    protected RunOptions() {}

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Starts from {@code config}'s settings (replacing every setting made so far). */
    public B config(RunConfig config) {
        this.v = config.v.clone();
        return self();
    }

    public B algorithm(Algorithm a) {
        v.algorithm = Objects.requireNonNull(a, "algorithm");
        return self();
    }

    /** The parameter store of the asynchronous algorithms (default HOGWILD). */
    public B store(ParameterStore.Kind kind) {
        v.store = Objects.requireNonNull(kind, "store");
        return self();
    }

    /** Failed CAS attempts allowed per update of the CAS-published store, ≥ 0 (default unbounded). */
    public B persistence(int p) {
        v.persistence = atLeast("persistence", p, 0, "an integer >= 0 or 'unbounded'");
        v.given.add("persistence");
        return self();
    }

    /** Failed CAS attempts are never a reason to drop an update (the default). */
    public B unboundedPersistence() {
        v.persistence = null;
        return self();
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
    public B checkpointDir(java.nio.file.Path dir) {
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
    public B resume(java.nio.file.Path dir) {
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

    // ---- Interval-Asynchrony ({@link Algorithm#INTERVAL})

    public B intervalPolicy(IntervalSchedule s) {
        v.intervalPolicy = Objects.requireNonNull(s, "intervalPolicy");
        v.given.add("interval_policy");
        return self();
    }

    /** Size y0 of the first interval in accepted steps, ≥ 1 (default {@value RunConfig#DEFAULT_INTERVAL_Y}). */
    public B intervalY(int y0) {
        v.intervalY = atLeast("interval_y", y0, 1, "an integer >= 1");
        v.autoY0 = false;
        v.given.add("interval_y");
        return self();
    }

    /**
     * y0 chosen by a search over y = 2, 4, 8, … (4m finished steps each, judged by the loss monitor's decrease per
     * second), then the interval policy from it ({@code AutoYPolicy}).
     */
    public B autoIntervalY() {
        v.autoY0 = true;
        v.given.add("interval_y");
        return self();
    }

    public B yDecayAmount(int n) {
        v.yDecayAmount = atLeast("y_decay_amount", n, 1, "an integer >= 1");
        v.given.add("y_decay_amount");
        return self();
    }

    public B yDecayEvery(long steps) {
        v.yDecayEvery = atLeast("y_decay_every", steps, 1, "an integer >= 1");
        v.given.add("y_decay_every");
        return self();
    }

    public B yMin(int y) {
        v.yMin = atLeast("y_min", y, 1, "an integer >= 1");
        v.given.add("y_min");
        return self();
    }

    public B probeWindow(int w) {
        v.probeWindow = atLeast("probe_window", w, 0, "an integer >= 0");
        v.given.add("probe_window");
        return self();
    }

    public B probeStep(int s) {
        v.probeStep = atLeast("probe_step", s, 1, "an integer >= 1");
        v.given.add("probe_step");
        return self();
    }

    public B probeSteps(long n) {
        v.probeSteps = atLeast("probe_steps", n, 1, "an integer >= 1");
        v.given.add("probe_steps");
        return self();
    }

    public B probeExec(long n) {
        v.probeExec = atLeast("probe_exec", n, 1, "an integer >= 1");
        v.given.add("probe_exec");
        return self();
    }

    /** A dispatcher of the library user's, created per run from the worker count (algorithm ASYNC only). */
    public B dispatcher(IntFunction<Dispatcher> factory) {
        v.customDispatcher = Objects.requireNonNull(factory, "dispatcher");
        return self();
    }

    // ---- the bounded-staleness family ({@link Algorithm#BOUNDED}, {@link Algorithm#SSP}, {@link Algorithm#KASYNC},
    // {@link Algorithm#ABS})

    /** bounded: the largest staleness B ≥ 0 an applied update may have (default: the worker count). */
    public B maxStaleness(long b) {
        v.maxStaleness = atLeast("max_staleness", b, 0, "an integer >= 0");
        return self();
    }

    /** ssp: how many steps s ≥ 0 a worker may run ahead of the slowest active one (0: lock-step; default 3). */
    public B sspSlack(int s) {
        v.sspSlack = atLeast("ssp_slack", s, 0, "an integer >= 0");
        return self();
    }

    /** kasync: submissions K per round, in [1, workers] (default ⌈workers/4⌉); with adaptive K it is K0. */
    public B kasyncK(int k) {
        v.kasyncK = atLeast("kasync_k", k, 1, "an integer in [1, {workers}] or 'all'");
        v.kasyncAll = false;
        return self();
    }

    /** kasync: K = the number of workers: every worker submits once per round (with local steps: synchronous local SGD). */
    public B kasyncKAll() {
        v.kasyncAll = true;
        v.kasyncK = null;
        return self();
    }

    /** kasync: K_t follows AdaSync's schedule ⌈K0·√(L0/L_t)⌉ from K0 = {@link #kasyncK}. */
    public B kasyncAdaptive(boolean on) {
        v.kasyncAdaptive = on;
        return self();
    }

    /** abs: AdaSync's K0, in [1, workers] (default ⌈workers/4⌉). */
    public B absK0(int k0) {
        v.absK0 = atLeast("abs_k0", k0, 1, "an integer in [1, {workers}]");
        return self();
    }

    /** abs: c of the staleness threshold S_t = max(1, ⌊c/K_t⌋), &gt; 0, or +∞ for none (default: the worker count). */
    public B absC(double c) {
        if (!(c > 0)) {
            throw new InvalidOptionException("abs_c", c, "a positive number or 'inf'");
        }
        v.absC = c;
        return self();
    }

    /**
     * kasync, abs: local SGD, H ≥ 1 steps each worker takes on its own copy of the model before it submits the sum of
     * their updates (its model delta) to a round; 1 (the default) submits every update.
     */
    public B localSteps(int h) {
        v.localSteps = atLeast("local_steps", h, 1, "an integer >= 1");
        return self();
    }

    /**
     * A round policy of the library user's for {@link Algorithm#KASYNC} or {@link Algorithm#ABS}, created per run from
     * the worker count (e.g. {@code m -> new AbsPolicy.Builder(m).fixedK(m).fixedThreshold(0).build()}); replaces
     * the policy the K-async and ABS options describe.
     */
    public B roundPolicy(IntFunction<RoundPolicy> factory) {
        v.customRoundPolicy = Objects.requireNonNull(factory, "roundPolicy");
        return self();
    }

    // ---- elastic parallelism (ElAsyncSGD)

    public B parallelism(Parallelism p) {
        v.parallelism = Objects.requireNonNull(p, "parallelism");
        return self();
    }

    /** Initial active workers, in [1, workers] (default ⌈workers/2⌉). */
    public B elasticM0(int m0) {
        v.elasticM0 = atLeast("elastic_m0", m0, 1, "an integer in [1, {workers}]");
        return self();
    }

    /** Execution phase of K × m accepted steps. */
    public B elasticIp(int k) {
        v.elasticIp = atLeast("elastic_ip", k, 1, "an integer >= 1");
        v.given.add("elastic_ip");
        return self();
    }

    /** K × m accepted steps per probed level. */
    public B elasticDp(int k) {
        v.elasticDp = atLeast("elastic_dp", k, 1, "an integer >= 1");
        v.given.add("elastic_dp");
        return self();
    }

    /** Levels probed on each side of m. */
    public B elasticWp(int w) {
        v.elasticWp = atLeast("elastic_wp", w, 1, "an integer >= 1");
        v.given.add("elastic_wp");
        return self();
    }

    /**
     * How elastic parallelism finds the best worker count first: {@code PAPER} (default, the paper's probing from m0)
     * or {@code LOG} (ours: levels 1, 2, 4, … first, then the paper's probing from the best).
     */
    public B elasticSearch(org.dl4jasync.parallelism.ElasticSearch s) {
        v.elasticSearch = Objects.requireNonNull(s, "elasticSearch");
        v.given.add("elastic_search");
        return self();
    }

    /** Report the break-even time against a constant-M run's worker-seconds. */
    public B baselineWorkers(int m) {
        v.baselineWorkers = atLeast("baseline_workers", m, 1, "an integer >= 1");
        return self();
    }

    /**
     * An elastic controller of the library user's (it is bound to each run's dispatcher and sees every step; its
     * loss monitor must be fed too). It keeps state across runs: give each trainer its own.
     */
    public B elastic(ElasticController controller) {
        v.customElastic = Objects.requireNonNull(controller, "controller");
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

    // ---- staleness-adaptive step size

    public B stepSize(StepSizeRule rule) {
        v.stepSize = Objects.requireNonNull(rule, "stepSize");
        v.customStepSize = null;
        return self();
    }

    /**
     * A step-size policy of the library user's. It keeps state (the observed staleness distribution): give each
     * trainer its own instance.
     */
    public B stepSize(StepSizePolicy policy) {
        v.customStepSize = Objects.requireNonNull(policy, "stepSize");
        return self();
    }

    /** TAIL-τ: factors span [1 − A, 1 + A], A in [0, 1] (default 1). */
    public B tailAmplitude(double a) {
        if (!(a >= 0 && a <= 1)) {
            throw new InvalidOptionException("tail_amplitude", a, "a number in [0, 1]");
        }
        v.tailAmplitude = a;
        return self();
    }

    public B tailPhi(Phi phi) {
        v.tailPhi = Objects.requireNonNull(phi, "tailPhi");
        return self();
    }

    /** Applied updates at factor 1 before the staleness distribution is estimated, ≥ 1 (default 15·m). */
    public B tailWarmup(long n) {
        v.tailWarmup = atLeast("tail_warmup", n, 1, "an integer >= 1");
        return self();
    }

    /** Re-estimate the distribution every this many applied updates, ≥ 1 (default window/10). */
    public B tailRefresh(long r) {
        v.tailRefresh = atLeast("tail_refresh", r, 1, "'frozen' or an integer >= 1");
        v.tailFrozen = false;
        return self();
    }

    /** Keep the warm-up's estimate of the distribution. */
    public B tailFrozen() {
        v.tailFrozen = true;
        v.tailRefresh = null;
        return self();
    }

    /** Applied updates the estimate covers, ≥ 1 (default max(1000, 10·m)). */
    public B tailWindow(int k) {
        v.tailWindow = atLeast("tail_window", k, 1, "an integer >= 1");
        return self();
    }

    /** MindTheStep's K ≥ 0 in c(τ) (default 1, the thesis's evaluation). */
    public B mtsMomentum(double k) {
        if (!(k >= 0 && Double.isFinite(k))) {
            throw new InvalidOptionException("mts_momentum", k, "a number >= 0");
        }
        v.mtsMomentum = k;
        return self();
    }

    /**
     * MindTheStep's η in c(τ), &gt; 0 (default: the learning rate of the model's updater; a model without one, or a
     * simulation without a model, needs it given).
     */
    public B mtsEta(double eta) {
        if (!(eta > 0 && Double.isFinite(eta))) {
            throw new InvalidOptionException("mts_eta", eta, "a positive number (the base learning rate)");
        }
        v.mtsEta = eta;
        return self();
    }

    /** MindTheStep's c(τ): eq. A.18 as printed (default) or re-derived without its 1/e^λ. */
    public B mtsForm(org.dl4jasync.stepsize.MindTheStepSize.Form form) {
        v.mtsForm = Objects.requireNonNull(form, "mtsForm");
        return self();
    }

    /** MindTheStep's λ: {@link MtsLambda#WORKERS} (default) or {@link MtsLambda#MEASURED}. */
    public B mtsLambda(MtsLambda source) {
        if (Objects.requireNonNull(source, "mtsLambda") == MtsLambda.GIVEN) {
            throw new IllegalArgumentException("give the value: mtsLambda(double)");
        }
        v.mtsLambda = source;
        return self();
    }

    /** MindTheStep's λ as given, positive. */
    public B mtsLambda(double lambda) {
        if (!(lambda > 0 && Double.isFinite(lambda))) {
            throw new InvalidOptionException("mts_lambda", lambda, "a positive number, 'workers' or 'measured'");
        }
        v.mtsLambda = MtsLambda.GIVEN;
        v.mtsLambdaValue = lambda;
        return self();
    }

    /** Scale the step-size factors to mean 1 over the observed staleness. */
    public B normalize(boolean on) {
        v.normalize = on;
        return self();
    }

    // ---- the rules between options

    /** A copy of the settings, after checking the rules between them. */
    protected final RunConfig freeze() {
        RunSettings s = v.clone();
        OptionRules.check(s);
        return new RunConfig(s);
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
