package org.dl4jasync.trainer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jasync.checkpoint.Checkpointable;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.config.CoordinatedStore;
import org.dl4jasync.config.EvaluationMode;
import org.dl4jasync.config.OptimizerState;
import org.dl4jasync.config.RunComponents;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.dispatch.RoundBoard;
import org.dl4jasync.dispatch.Waiters;
import org.dl4jasync.metrics.AsynchronyNoise;
import org.dl4jasync.metrics.ByStaleness;
import org.dl4jasync.metrics.StepListener;
import org.dl4jasync.metrics.StopReason;
import org.dl4jasync.metrics.WorkerStats;
import org.dl4jasync.model.Replica;
import org.dl4jasync.model.TrainableModel;
import org.dl4jasync.parallelism.ElasticController;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.parameters.WorkerView;
import org.dl4jasync.stepsize.ConstantStepSize;
import org.dl4jasync.stepsize.StepSizePolicy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One run: what it is made of and its stop state. The constructor composes the parts once, from the configuration
 * (nothing is filled in afterwards): the store, the dispatcher and the {@link Completion} (per step, or rounds), the
 * step budget, the listeners' bridge, the step-size policy, the elastic controller, the monitor, the checkpoints,
 * the workers' optimizer states ({@link RunOptimizerState}) and the computing half of a step ({@link StepWork}).
 * {@link StepProtocol} runs the steps over these parts for both engines.
 *
 * <p>Shared-field protocol: {@link #stop} holds the first stop reason (CAS from null; null when the run ended
 * without one) and {@link #stopping} is polled by workers; the monitor's fields are guarded as {@link RunMonitor}
 * says.
 */
final class Run implements RunMonitor.Stopper {
    static final int STARTED = 0;
    static final int WAIT = 1;
    static final int END = 2;

    final RunConfig config;
    /** Workers of the run. */
    final int m;

    final TrainableModel model;
    final ParameterStore store;
    final BatchSource source;
    final Dispatcher dispatcher;
    /** How a finished step ends: applied alone, or in a round (sync, K-async, ABS: then also the dispatcher). */
    final Completion completion;

    final Waiters waiters;
    final StepBudget budget;
    /** The training data's {@link DataFingerprint} for checkpoints (null: streamed or simulated). */
    final String dataFingerprint;

    final ListenerBridge bridge;
    final StepSizePolicy stepSize;
    final AsynchronyNoise noise;
    /** Null unless the active worker count is controlled. */
    final ElasticController elastic;

    final RunMonitor monitor;
    final DoubleSupplier clock;
    /** The clock and gate that pause the workers for an evaluation (threads, {@code EvaluationMode.PAUSED}), else null. */
    final PausingClock pausing;

    final WorkerState[] workers;
    /** Every worker's counters, made with the run (a resumed run's taken back from the checkpoint). */
    final WorkerStats[] stats;
    /** Where a resumed run starts, or null for a new training. */
    final Resume resume;
    /** Updates applied before this run (a resumed run: the checkpoint's; else 0). */
    final long acceptedBefore;
    /** Steps started before this run, over every worker (the checkpoint's counters). */
    final long startedBefore;
    /** The run's clock at its start (a resumed run continues the checkpoint's time axis). */
    final double since;
    /** The components whose state a checkpoint keeps, by name. */
    final Map<String, Checkpointable<?>> components;
    /** The run's checkpoints (threads, with a checkpoint directory), else null. */
    final Checkpoints checkpoints;
    /** The workers' optimizer states: where they start, what the network's updater holds afterwards. */
    final RunOptimizerState optimizer;
    /** The computing half of a step: gradient, update. */
    final StepWork work;

    /** The step protocol over this run's parts, and the completions' host. */
    final StepProtocol steps = new StepProtocol(this);

    final StepListener[] observers;
    /** A model with parameters (scheduling only: no loss, no update). */
    final boolean recordLoss;
    /**
     * Whether a step's gradient is computed after {@link #begin} (simulation): {@code begin} copies the parameters
     * of its instant into the worker's own replica, the engine has the {@link GradientPool} compute the gradient and
     * update when the step is accepted (or contributes) and skip it when it is rejected.
     */
    final boolean deferred;

    private final boolean aggregating;
    /** Updates are applied per round, so the step budget counts rounds, not steps (sync, K-async, ABS). */
    private final boolean roundBased;
    /** Local SGD (K-async, ABS): steps a worker takes on its own copy per submission; 1: plain gradient submission. */
    final int localSteps;
    /**
     * A staleness-adaptive step-size factor scales the gradient term of heavy-ball momentum, as the authors' code
     * does ({@code δ ← μ·δ − factor·η·g}), instead of the whole update: the model is trained by
     * {@link org.dl4jasync.optimizer.HeavyBall}, the rule is not constant, updates are applied one by one.
     * Per-worker state: the factor is that of τ as the step's update is formed (the version when it is formed minus
     * the version read, as the authors read τ right before their update); shared state: that of the store's exact τ.
     */
    final boolean scalesGradient;

    private final AtomicReference<StopReason> stop = new AtomicReference<>();
    private volatile boolean stopping;

    /**
     * A simulated run: its gradients are deferred ({@link #deferred}), its per-worker optimizer states carry over
     * from the previous run of {@code carry}'s owner, and {@code interrupter} cuts a worker's step short.
     *
     * @param listeners the DL4J listeners of this run, each once
     * @param clock     the virtual clock, in seconds since the start of the run
     */
    static Run simulated(
            RunConfig config,
            TrainableModel model,
            List<TrainingListener> listeners,
            BatchSource source,
            DoubleSupplier clock,
            OptimizerStates carry,
            Interrupter interrupter) {
        return new Run(
                config,
                model,
                listeners,
                new RoutingClones(),
                source,
                clock,
                null,
                true,
                null,
                carry,
                null,
                interrupter);
    }

    /**
     * A run on real threads with the clock {@code pausing}, which the workers pass at every step and which evaluation
     * pauses when the configuration says {@code EvaluationMode.PAUSED} and evaluates during the run (else it runs as
     * a plain wall clock and the workers skip its gate). {@code clones} are the trainer's, kept across its fits.
     */
    static Run onThreads(
            RunConfig config,
            TrainableModel model,
            List<TrainingListener> listeners,
            RoutingClones clones,
            BatchSource source,
            PausingClock pausing,
            Resume resume,
            OptimizerStates carry,
            String dataFingerprint) {
        boolean gated = (config.evaluationMode() == EvaluationMode.PAUSED && config.evaluatesDuringRun())
                || config.checkpointDir().isPresent();
        return new Run(
                config,
                model,
                listeners,
                clones,
                source,
                pausing,
                gated ? pausing : null,
                false,
                resume,
                carry,
                dataFingerprint,
                null);
    }

    private Run(
            RunConfig config,
            TrainableModel model,
            List<TrainingListener> listeners,
            RoutingClones clones,
            BatchSource source,
            DoubleSupplier clock,
            PausingClock pausing,
            boolean deferred,
            Resume resume,
            OptimizerStates carry,
            String dataFingerprint,
            Interrupter interrupter) {
        this.config = config;
        this.dataFingerprint = dataFingerprint;
        this.resume = resume;
        this.acceptedBefore = resume == null ? 0 : resume.accepted;
        this.since = resume == null ? 0 : resume.seconds;
        this.m = config.workers();
        this.model = model;
        this.source = source;
        this.clock = clock;
        this.pausing = pausing;
        this.deferred = deferred;
        this.aggregating = config.algorithm() == Algorithm.SYNC;
        this.localSteps = config.localSteps();
        INDArray modelState = model.updaterState(); // made here, on the calling thread, if the network had none yet
        // shared state for an algorithm that applies steps one by one (sync has one updater anyway; the round-based
        // ones are refused by the options' rules)
        Algorithm a = config.algorithm();
        boolean sharedState = config.optimizerState() == OptimizerState.SHARED
                && modelState != null
                && a != Algorithm.SYNC
                && a != Algorithm.KASYNC
                && a != Algorithm.ABS;
        // config.store() is the in-place store for both baselines: one writer at a time, exact for them
        this.store = config.store().create(model, m, sharedState ? modelState : null);
        this.workers = new WorkerState[m];
        this.optimizer = new RunOptimizerState(modelState, sharedState, aggregating, store, carry, workers);
        this.recordLoss = model.hasParameters();
        this.bridge = new ListenerBridge(model, listeners, clones, m, store, source, optimizer::show);
        RunComponents parts = config.compose(new RunComponents.Context(model, clock, store::copyLatestTo));
        this.stepSize = parts.stepSize;
        this.noise = parts.noise;
        Rounds rounds = null;
        if (aggregating) {
            rounds = new SyncRounds(steps, m, store, bridge);
        } else if (parts.roundPolicy != null) {
            RoundBoard board = config.store() instanceof CoordinatedStore shared
                    ? shared.rounds(parts.roundPolicy, store, m, steps::signalWaiters)
                    : null;
            rounds = new KAsyncRounds(steps, m, parts.roundPolicy, bridge, clock, localSteps, interrupter, board);
        }
        this.roundBased = rounds != null;
        this.dispatcher = roundBased ? (Dispatcher) rounds : parts.dispatcher;
        this.waiters = dispatcher.active().waiters();
        long max = config.maxSteps().orElse(Long.MAX_VALUE);
        this.budget = new StepBudget(max == Long.MAX_VALUE ? max : Math.max(0, max - acceptedBefore), waiters);
        if (budget.exhausted()) {
            stop(StopReason.MAX_STEPS); // a resumed run whose checkpoint has the steps asked for: nothing to train
        }
        this.scalesGradient =
                model.heavyBall() && !(stepSize instanceof ConstantStepSize) && !aggregating && !roundBased;
        this.work = new StepWork(
                config.seed(),
                deferred,
                bridge,
                store,
                source,
                noise,
                aggregating,
                sharedState,
                !roundBased && modelState != null,
                scalesGradient,
                recordLoss);
        this.completion = roundBased
                ? rounds
                : new PerStepCompletion(
                        steps,
                        dispatcher,
                        store,
                        budget,
                        bridge,
                        stepSize,
                        noise,
                        deferred,
                        scalesGradient,
                        sharedState);
        this.elastic = parts.elastic;
        if (elastic != null) {
            elastic.bind(dispatcher.active(), clock);
        }
        this.stats = new WorkerStats[m];
        long started = 0;
        // a simulation records every worker's updates on one thread: one count by staleness for all, O(max τ)
        ByStaleness byTau = deferred ? ByStaleness.shared() : null;
        for (int w = 0; w < m; w++) {
            stats[w] = new WorkerStats(w, byTau);
            if (resume != null) {
                try {
                    stats[w].restore(resume.workerStats.get(w));
                } catch (RuntimeException e) {
                    throw Resume.unreadable("the checkpoint's worker " + w, e);
                }
                started += stats[w].started;
            }
        }
        this.startedBefore = started;
        // the thread engine only (a simulation refuses a checkpoint directory)
        this.checkpoints = !deferred && config.checkpointDir().isPresent()
                ? new Checkpoints(
                        config,
                        acceptedBefore,
                        since,
                        pausing,
                        this,
                        monitor -> CheckpointContents.of(this, monitor),
                        config.checkpointDir().get())
                : null;
        this.monitor =
                new RunMonitor(config, model, store, clock, pausing, budget, this, checkpoints, stats, acceptedBefore);
        this.observers = parts.observers.toArray(new StepListener[0]);
        this.components = CheckpointContents.components(parts, dispatcher, stepSize, elastic);
        if (resume != null) {
            try {
                CheckpointContents.restore(this, resume);
            } catch (RuntimeException e) {
                throw Resume.unreadable("the checkpoint's components", e);
            }
        }
    }

    /** The updates are sums of several workers' gradients, one update per round (sync). */
    boolean aggregating() {
        return aggregating;
    }

    /** Updates are applied per round (sync, K-async, ABS): the accepted count counts rounds. */
    boolean roundBased() {
        return roundBased;
    }

    /** Creates worker {@code w}'s state; call on the thread that will run it (replicas allocate workspaces). */
    WorkerState newWorker(int w) {
        WorkerView view = store.newWorkerView(w);
        // deferred or local SGD: a replica over parameters of its own, which begin fills (deferred: the gradient is
        // computed on it later; local SGD: the worker's local steps update it)
        boolean own = deferred || localSteps > 1;
        Replica replica = own ? model.newReplica(model.params().dup()) : view.replica();
        bridge.listenTo(w, replica);
        WorkerState ws = new WorkerState(w, view, replica, stepSize, own, stats[w], since);
        optimizer.start(ws, m, resume, work);
        workers[w] = ws;
        return ws;
    }

    /** Cuts a worker's step short (ABS's forced restart at a round's end), given by the engine that can. */
    interface Interrupter {
        /** Ends worker {@code w}'s step in flight now, dropping its work; false when it has none to cut. */
        boolean interrupt(int w);
    }

    // ---- stopping

    /** Ends the run with {@code reason} unless it already has one; wakes every waiting worker. */
    @Override
    public void stop(StopReason reason) {
        stop.compareAndSet(null, reason);
        stopping = true;
        waiters.signal();
    }

    /** Ends the run because a worker failed (no stop reason). */
    /** Every worker has stopped (whatever the outcome): the dispatcher releases what it holds beyond the steps. */
    void ended() {
        if (dispatcher != null) {
            dispatcher.runEnded();
        }
    }

    void abort() {
        stopping = true;
        waiters.signal();
    }

    @Override
    public boolean stopping() {
        return stopping;
    }

    /** The first stop condition met, or null when the workers ran out of work. */
    StopReason stopReason() {
        return stop.get();
    }
}
