package org.dl4jasync.trainer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jasync.checkpoint.Checkpointable;
import org.dl4jasync.checkpoint.StateValues;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.config.EvaluationMode;
import org.dl4jasync.config.OptimizerState;
import org.dl4jasync.config.RunComponents;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.dispatch.Waiters;
import org.dl4jasync.metrics.AsynchronyNoise;
import org.dl4jasync.metrics.StepListener;
import org.dl4jasync.metrics.StopReason;
import org.dl4jasync.metrics.WorkerStats;
import org.dl4jasync.model.Replica;
import org.dl4jasync.model.TrainableModel;
import org.dl4jasync.parallelism.ElasticController;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.parameters.WorkerView;
import org.dl4jasync.stepsize.StepSizePolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One run and <b>the step protocol</b>, written once for both engines (Interval-Asynchrony paper, Algorithm 1):
 *
 * <pre>
 * begin(w):    permit → i = TRYSTARTSTEP(w) → batch = GETBATCH(i) → v = read θ → gradient (→ update) → release θ
 * finish(w):   FINISHSTEP(w, i)                       — the dispatcher accepts or rejects
 * apply(w):    θ ← θ − factor(τ)·update, record τ     — or reject(w) / drop(w); rounds: submit(w)
 *              then, in this order: afterApply, DL4J listeners, step listeners, epoch bookkeeping, monitor
 * </pre>
 *
 * The thread engine ({@link ThreadEngine}) calls {@code begin} and the finishing calls back to back on each worker
 * thread and parks a worker that must wait; the virtual-time engine ({@link VirtualTimeEngine}) calls {@code begin}
 * at a step's start event and the finishing calls at its finish (or apply) event. Only the clock, waiting and the
 * modelled apply time differ between them, and where the gradient is computed: on threads inside {@code begin};
 * in simulation ({@link #deferred}) {@code begin} copies the parameters of its instant and the gradient is computed
 * from that copy only for a step that is accepted or contributes (on spare cores ahead of time, see
 * {@link GradientPool}), so a rejected step costs no gradient.
 *
 * <p>After warm-up nothing here allocates an array: the replica's gradient buffer is the update, the store applies
 * it in place (BLAS axpy), the staleness histogram grows only on a new maximum τ. (ND4J op objects created inside
 * DL4J's forward/backward pass are DL4J's own.)
 *
 * <p>Shared-field protocols: {@link #stop} holds the first stop reason (CAS from null; null when the run ended
 * without one) and is polled by workers; {@link #dataEnded} is set once a ticket was past the data; the
 * monitor's fields are guarded as {@link RunMonitor} says.
 */
final class Run {
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
    /** The rounds when the algorithm is round-based (sync, K-async, ABS; also the dispatcher), else null. */
    final Rounds rounds;
    /**
     * How the engine cuts a worker's step short (ABS's forced restart at a round's end), or null when it cannot: a
     * thread inside a DL4J backward pass is not interrupted, its work is dropped when it submits. Set by the engine
     * before the run starts.
     */
    Interrupter interrupter;

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
    final Map<String, Checkpointable> components;
    /** The run's checkpoints (threads, with a checkpoint directory), else null. */
    final Checkpoints checkpoints;

    private final StepListener[] observers;
    private final boolean recordLoss;
    /**
     * Whether a step's gradient is computed after {@link #begin} (simulation): {@code begin} copies the parameters
     * of its instant into the worker's own replica, the engine calls {@link #gradient} and {@link #toUpdate} when the
     * step is accepted (or contributes) and {@link #skipGradient} when it is rejected.
     */
    final boolean deferred;

    private final boolean aggregating;
    /** Updates are applied per round, so the step budget counts rounds, not steps (sync, K-async, ABS). */
    private final boolean roundBased;
    /** Local SGD (K-async, ABS): steps a worker takes on its own copy per submission; 1: plain gradient submission. */
    final int localSteps;
    /** The dispatcher's staleness bound ({@link Dispatcher#maxStaleness()}), decided by the store at each apply. */
    private final long staleBound;
    /**
     * The original network's own updater state array (null: a stateless updater such as plain SGD, or no model):
     * where the workers' states start, and where the training's state is written back.
     */
    final INDArray modelState;
    /**
     * Whether the store keeps the one optimizer state and forms every update at apply time
     * ({@link OptimizerState#SHARED} for an algorithm that applies steps one by one, with a stateful updater).
     */
    final boolean sharedState;
    /** The trainer's per-worker states between fits (where workers start; what the run's end keeps). */
    private final OptimizerStates carry;
    /**
     * A staleness-adaptive step-size factor scales the gradient term of heavy-ball momentum, as the authors' code
     * does ({@code δ ← μ·δ − factor·η·g}), instead of the whole update: the model is trained by
     * {@link org.dl4jasync.optimizer.HeavyBall}, the rule is not constant, updates are applied one by one.
     * Per-worker state: the factor is that of τ as the step's update is formed (the version when it is formed minus
     * the version read, as the authors read τ right before their update); shared state: that of the store's exact τ.
     */
    final boolean scalesGradient;

    /** The updates are sums of several workers' gradients, one update per round (sync). */
    boolean aggregating() {
        return aggregating;
    }

    private final AtomicReference<StopReason> stop = new AtomicReference<>();
    private volatile boolean stopping;
    private volatile boolean dataEnded;

    /**
     * @param listeners the DL4J listeners of this run, each once
     * @param clock     seconds since the start of the run: wall time for threads, virtual time for the simulator
     */
    Run(
            RunConfig config,
            TrainableModel model,
            List<TrainingListener> listeners,
            BatchSource source,
            DoubleSupplier clock) {
        this(
                config,
                model,
                listeners,
                new RoutingClones(),
                source,
                clock,
                null,
                true,
                null,
                new OptimizerStates(),
                null);
    }

    /** A simulated run whose per-worker optimizer states carry over from the previous run of {@code carry}'s owner. */
    Run(
            RunConfig config,
            TrainableModel model,
            List<TrainingListener> listeners,
            BatchSource source,
            DoubleSupplier clock,
            OptimizerStates carry) {
        this(config, model, listeners, new RoutingClones(), source, clock, null, true, null, carry, null);
    }

    /**
     * A run on real threads with the clock {@code pausing}, which the workers pass at every step and which evaluation
     * pauses when the configuration says {@code EvaluationMode.PAUSED} and evaluates during the run (else it runs as
     * a plain wall clock and the workers skip its gate). {@code clones} are the trainer's, kept across its fits.
     */
    Run(
            RunConfig config,
            TrainableModel model,
            List<TrainingListener> listeners,
            RoutingClones clones,
            BatchSource source,
            PausingClock pausing,
            Resume resume,
            OptimizerStates carry,
            String dataFingerprint) {
        this(
                config,
                model,
                listeners,
                clones,
                source,
                pausing,
                (config.evaluationMode() == EvaluationMode.PAUSED && config.evaluatesDuringRun())
                                || config.checkpointDir().isPresent()
                        ? pausing
                        : null,
                false,
                resume,
                carry,
                dataFingerprint);
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
            String dataFingerprint) {
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
        this.carry = carry;
        this.modelState = model.updaterState(); // made here, on the calling thread, if the network had no updater yet
        // shared state for an algorithm that applies steps one by one (sync has one updater anyway; the round-based
        // ones are refused by the options' rules)
        Algorithm a = config.algorithm();
        this.sharedState = config.optimizerState() == OptimizerState.SHARED
                && modelState != null
                && a != Algorithm.SYNC
                && a != Algorithm.KASYNC
                && a != Algorithm.ABS;
        // config.store() is the in-place store for both baselines: one writer at a time, exact for them
        this.store = ParameterStore.create(
                config.store(),
                model,
                m,
                config.persistence().orElse(ParameterStore.UNBOUNDED_PERSISTENCE),
                sharedState ? modelState : null);
        RunComponents parts = config.compose(new RunComponents.Context(model, clock, store::copyLatestTo));
        if (aggregating) {
            SyncRounds sync = new SyncRounds(this, m);
            this.rounds = sync;
            this.dispatcher = sync;
        } else if (parts.roundPolicy != null) {
            KAsyncRounds kasync = new KAsyncRounds(this, m, parts.roundPolicy);
            this.rounds = kasync;
            this.dispatcher = kasync;
        } else {
            this.rounds = null;
            this.dispatcher = parts.dispatcher;
        }
        this.waiters = dispatcher.active().waiters();
        this.staleBound = dispatcher.maxStaleness();
        this.roundBased = rounds != null;
        long max = config.maxSteps().orElse(Long.MAX_VALUE);
        this.budget = new StepBudget(max == Long.MAX_VALUE ? max : Math.max(0, max - acceptedBefore), waiters);
        if (budget.exhausted()) {
            stop(StopReason.MAX_STEPS); // a resumed run whose checkpoint has the steps asked for: nothing to train
        }
        this.stepSize = parts.stepSize;
        this.scalesGradient = model.heavyBall()
                && !(stepSize instanceof org.dl4jasync.stepsize.ConstantStepSize)
                && !aggregating
                && rounds == null;
        this.noise = parts.noise;
        this.elastic = parts.elastic;
        if (elastic != null) {
            elastic.bind(dispatcher.active(), clock);
        }
        this.recordLoss = model.hasParameters();
        this.bridge = new ListenerBridge(model, listeners, clones, m, store, source, this::showOptimizerState);
        this.workers = new WorkerState[m];
        this.stats = new WorkerStats[m];
        long started = 0;
        // a simulation records every worker's updates on one thread: one count by staleness for all, O(max τ)
        org.dl4jasync.metrics.ByStaleness byTau = deferred ? org.dl4jasync.metrics.ByStaleness.shared() : null;
        for (int w = 0; w < m; w++) {
            stats[w] = new WorkerStats(w, byTau);
            if (resume != null) {
                try {
                    stats[w].restore(StateValues.asMap(resume.workerStats.get(w)));
                } catch (RuntimeException e) {
                    throw Resume.unreadable("the checkpoint's worker " + w, e);
                }
                started += stats[w].started;
            }
        }
        this.startedBefore = started;
        this.monitor = new RunMonitor(this); // after the workers' counters, which it reads
        this.observers = parts.observers.toArray(new StepListener[0]);
        this.components = Checkpoints.components(parts, dispatcher, stepSize, elastic);
        if (resume != null) {
            try {
                Checkpoints.restore(this, resume);
            } catch (RuntimeException e) {
                throw Resume.unreadable("the checkpoint's components", e);
            }
        }
        // last: it reads the counts above (the thread engine only; a simulation refuses a checkpoint directory)
        this.checkpoints = !deferred && config.checkpointDir().isPresent()
                ? new Checkpoints(this, config.checkpointDir().get())
                : null;
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
        if (sharedState) {
            if (store.sharedState() != null) { // HOGWILD!, locked: the worker's updater views the store's state
                replica.useUpdaterState(store.sharedState());
            } // CAS-published: its own array, which the store fills from a snapshot and copies back
            ws.former = new SharedStep(ws);
        } else if (resume != null && resume.updaterStates[w] != null) {
            INDArray u = replica.updaterState();
            if (u == null || u.length() != resume.updaterStates[w].length()) {
                throw new IllegalStateException("worker " + w + "'s updater state does not fit the checkpoint's");
            }
            u.assign(resume.updaterStates[w]);
        } else if (modelState != null) {
            replica.updaterState().assign(carry.startOf(w, m, modelState)); // read only: workers start at once
        }
        workers[w] = ws;
        return ws;
    }

    // ---- the step protocol

    /**
     * Starts a step of {@code ws}: {@link #STARTED} (its update, or for sync its gradient, is ready; deferred: the
     * parameters it reads are copied), {@link #WAIT} (may not start now: wait until {@link #mayProceed}), or
     * {@link #END} (this worker is done).
     */
    int begin(WorkerState ws) throws InterruptedException {
        if (stopping) {
            return END;
        }
        final int w = ws.id;
        if (!dispatcher.mayStart(w)) {
            // a worker held back by the active bound has nothing left to wait for once the data ended
            return dataEnded && !dispatcher.active().allows(w) ? END : WAIT;
        }
        // a step takes a permit of its own; a round applies one update for many steps (the round's close counts it)
        if (!roundBased && !budget.tryAcquire()) {
            return budget.exhausted() ? END : WAIT;
        }
        long ticket = dispatcher.tryStartStep(w);
        if (ticket == Dispatcher.NOT_NOW) {
            givePermitBack();
            return WAIT;
        }
        if (stopping) { // the run stopped meanwhile (e.g. the sync round just closed was the last)
            givePermitBack();
            return END;
        }
        MultiDataSet ds;
        try {
            ds = source.batch(ticket);
        } catch (RuntimeException | InterruptedException e) {
            source.done(ticket);
            throw e;
        }
        if (ds == null) { // past the last epoch: so is every later ticket
            source.done(ticket);
            givePermitBack();
            dispatcher.workerLeft(w);
            dataEnded = true;
            waiters.signal();
            return END;
        }
        ws.stats.countStarted();
        ws.ticket = ticket;
        ws.batch = ds;
        ws.lastBatch = ds;
        ws.batchSize = Batches.size(ds);
        ws.epochAtRead = bridge.currentEpoch();
        if (ws.localDone == 0) { // a local step after the first goes on from the worker's own copy: no read
            final WorkerView view = ws.view;
            ws.readVersion = view.read();
            boolean keepOpen = false;
            try {
                if (ws.ownParams) {
                    if (recordLoss) { // a model with parameters (scheduling only: nothing to copy)
                        ws.replica.params().assign(view.replica().params()); // the parameters of this instant
                    }
                } else {
                    gradient(ws);
                    // the update is formed in complete, once the step is accepted; the updater may read the
                    // parameters the gradient was computed on (regularisation), so the read stays open until then
                    keepOpen = true;
                }
            } finally {
                if (!keepOpen) {
                    view.release();
                }
                ws.readOpen = keepOpen;
                if (!ws.ownParams) {
                    batchDone(ws);
                }
            }
        }
        if (ws.ownParams && !deferred) { // local SGD on threads: computed on the copy, outside the read
            try {
                gradient(ws);
                toUpdate(ws);
            } finally {
                batchDone(ws);
            }
        }
        return STARTED;
    }

    /**
     * The gradient of the step {@code ws} began, on its replica: at once in {@link #begin}, or when the step is
     * deferred ({@link #deferred}) later, on any thread, from the copy {@code begin} made. Touches nothing but the
     * replica (and the ND4J random generator of the calling thread, seeded per step when deferred, so that the
     * thread it runs on does not matter).
     */
    void gradient(WorkerState ws) {
        if (deferred) {
            Nd4j.getRandom().setSeed(config.seed() * 0x9E3779B97F4A7C15L + ws.ticket);
        }
        ws.loss = ws.replica.computeGradient(ws.batch);
        bridge.gradientCalculated(ws.id, ws.replica.model());
    }

    /**
     * After {@link #gradient}, for a step that goes into the shared parameters (accepted, contributing to a round, or a
     * local step): the worker's DL4J updater turns the gradient into the update (not for sync, whose round runs one
     * updater, nor with a shared state, which the store forms at apply time), and the loss is counted. Under a
     * per-worker state the state before the formation is kept, so that a step the store then refuses (STALE,
     * DROPPED) or a non-finite one leaves the worker's state as it was ({@link WorkerState#restoreState}).
     */
    void toUpdate(WorkerState ws) {
        Replica replica = ws.replica;
        if (!aggregating && !sharedState) {
            if (rounds == null && modelState != null) { // not K-async/ABS (sync is aggregating)
                ws.saveState();
            }
            if (scalesGradient) { // the factor of τ as the update is formed, on the gradient term only
                double f = ws.scaler.factor(Math.max(0, store.version() - ws.readVersion));
                if (f != 1.0) {
                    replica.gradient().muli(f);
                }
            }
            formUpdate(ws);
        }
        countLoss(ws);
    }

    /** The worker's updater forms the update of the step {@code ws} began from its gradient (shared state: in the store). */
    void formUpdate(WorkerState ws) {
        ws.replica.toUpdate(bridge.baseIteration() + (int) ws.readVersion, ws.epochAtRead, ws.batchSize);
    }

    /** The step's loss is counted and its update (or, with a shared state, its gradient) checked for finiteness. */
    private void countLoss(WorkerState ws) {
        Replica replica = ws.replica;
        if (recordLoss) { // a model with parameters (scheduling only: no loss, no update)
            ws.stats.recordLoss(ws.loss);
            ws.nonFinite = !Double.isFinite(ws.loss) || !finite(replica.gradient());
        }
        if (noise != null && !aggregating && !ws.nonFinite) {
            noise.computed(ws.readVersion, replica.gradient());
        }
    }

    /**
     * Whether every element of {@code update} is finite, by one BLAS pass (the sum of absolute values: NaN or ∞ as
     * soon as one element is, allocation-free). An update whose absolute sum overflows the data type while every
     * element is finite counts as non-finite too: applied, it would overflow the parameters.
     */
    private static boolean finite(INDArray update) {
        return Double.isFinite(Nd4j.getBlasWrapper().level1().asum(update));
    }

    /**
     * Before the step of {@code ws} goes into the shared parameters (an apply, a sync contribution, a round
     * submission or a local step): false when its loss and update are finite; else handles it by the run's
     * {@link org.dl4jasync.config.NonFinitePolicy} and returns true — it throws {@link NonFiniteUpdateException}
     * (fail), or counts the step and ends its fate as not applied (skip), and also stops the run as diverged (stop).
     * {@code givesUp} is what the caller's algorithm does with a step it will not apply (budget, dispatcher).
     */
    boolean refuseNonFinite(WorkerState ws, java.util.function.Consumer<WorkerState> givesUp) {
        if (!ws.nonFinite) {
            return false;
        }
        ws.nonFinite = false;
        long tau = aggregating ? 0 : store.version() - ws.readVersion;
        switch (config.nonFinitePolicy()) {
            case FAIL:
                throw new NonFiniteUpdateException(
                        ws.id, ws.ticket, ws.readVersion, tau, ws.loss, Double.isFinite(ws.loss));
            case STOP:
                stop(StopReason.DIVERGED);
                break;
            default:
                break;
        }
        ws.stats.countNonFinite();
        ws.restoreState(); // a formed update not applied: the state it advanced goes back
        givesUp.accept(ws);
        observe(ws, false, -1, 0);
        bridge.stepFinished();
        return true;
    }

    /** The step's batch is no longer needed (after its gradient, or when a deferred gradient is skipped). */
    void batchDone(WorkerState ws) {
        source.done(ws.ticket);
        ws.batch = null;
    }

    /**
     * A deferred step the dispatcher rejected: its gradient is never computed (so it enters neither the loss trace
     * nor the worker's updater state) and the listeners see loss NaN.
     */
    void skipGradient(WorkerState ws) {
        ws.loss = Double.NaN;
        batchDone(ws);
    }

    private void givePermitBack() {
        if (!roundBased) {
            budget.giveBack();
        }
    }

    /** True when a waiting worker should call {@link #begin} again. */
    boolean mayProceed(int w) {
        return stopping || dataEnded || (dispatcher.mayStart(w) && budget.available());
    }

    /**
     * FINISHSTEP: whether the dispatcher accepts the step that {@code ws} began. When gradients are deferred
     * (simulation: one thread, the version moves only in event order) a step already staler than the dispatcher's
     * bound is refused here, so its gradient is not computed; the store would reject it anyway, since the version
     * only grows ({@link #apply} decides for the steps that pass).
     */
    boolean finish(WorkerState ws) {
        if (deferred && store.version() - ws.readVersion > staleBound) {
            return false;
        }
        return dispatcher.finishStep(ws.id, ws.ticket);
    }

    /**
     * Both halves of the finish as one call (threads): finish, then apply, reject or contribute. The update is formed
     * here, after the dispatcher accepted the step (as the authors' code does: a rejected step's gradient never
     * enters the worker's optimizer state), and the read {@link #begin} left open is released at the end.
     */
    void complete(WorkerState ws) {
        try {
            if (rounds != null) {
                if (!ws.ownParams) {
                    toUpdate(ws); // sync: the loss and checks; rounds: the update, formed when the step finishes
                }
                rounds.submit(ws);
            } else if (finish(ws)) {
                toUpdate(ws);
                apply(ws);
            } else {
                if (recordLoss) {
                    ws.stats.recordLoss(ws.loss); // computed, never formed into an update
                }
                reject(ws);
            }
        } finally {
            if (ws.readOpen) {
                ws.readOpen = false;
                ws.view.release();
            }
        }
    }

    void reject(WorkerState ws) {
        ws.stats.countRejected();
        budget.giveBack();
        observe(ws, false, -1, 0);
        bridge.stepFinished();
    }

    /** Applies the accepted update of {@code ws} through its view (the store may drop it). */
    void apply(WorkerState ws) {
        if (refuseNonFinite(ws, giveUpAccepted)) {
            return;
        }
        INDArray update = ws.replica.gradient();
        // heavy-ball with a step-size rule: the factor is in the gradient term already (per worker), or the store's
        // τ gives it to the formation (shared state); the store itself then applies the update as it is
        org.dl4jasync.parameters.StepScaler scaler = !scalesGradient
                ? ws.scaler
                : sharedState ? ws.gradientTermScaler : org.dl4jasync.parameters.StepScaler.UNIT;
        long tau = ws.view.apply(update, ws.readVersion, staleBound, scaler, ws.former);
        if (tau == WorkerView.DROPPED) {
            drop(ws);
            return;
        }
        if (tau == WorkerView.STALE) { // above the dispatcher's staleness bound: nothing was written
            ws.restoreState(); // a formed update not applied: the state it advanced goes back
            reject(ws);
            return;
        }
        ws.stateApplied();
        double scale = ws.scaler.last; // the step-size factor (of the gradient term, for heavy-ball with a rule)
        double multiplier = scalesGradient ? 1.0 : scale; // what multiplied the update as the store applied it
        long index = ws.readVersion + tau; // this update's place in the version order
        if (noise != null) {
            noise.applied(index, update, multiplier);
        }
        stepSize.observe(tau);
        recordApplied(ws, tau, scale);
        bridge.iterationDone(index, ws, update, multiplier);
        dispatcher.afterApply(ws.id, ws.ticket);
        observe(ws, true, tau, scale);
        bridge.stepFinished();
        monitor.afterApply(ws, index + 1);
    }

    /** The accepted update of {@code ws} was given up by the store (CAS-published persistence bound). */
    void drop(WorkerState ws) {
        ws.restoreState(); // a formed update not applied: the state it advanced goes back
        ws.stats.countDropped();
        budget.giveBack();
        dispatcher.afterApply(ws.id, ws.ticket);
        observe(ws, false, -1, 0);
        bridge.stepFinished();
    }

    /** What giving up an accepted step takes, as for a {@link #drop}: its permit back, the dispatcher told. */
    private void giveUp(WorkerState ws) {
        budget.giveBack();
        dispatcher.afterApply(ws.id, ws.ticket);
    }

    private final java.util.function.Consumer<WorkerState> giveUpAccepted = this::giveUp;

    // ---- rounds (K-async, ABS): a submission enters a round; a round's close applies one update

    /** A submission with staleness {@code tau} (rounds) entered the open round with factor {@code scale}. */
    void recordSubmission(WorkerState ws, long tau, double scale) {
        ws.stats.recordApplied(tau, scale);
        stepSize.observe(tau);
    }

    /**
     * The round with index {@code index}, {@code update} (null: not kept), was applied by {@code ws}; the workers
     * {@code contributed} names were in it: its listeners' iteration, the monitor.
     */
    void roundApplied(
            WorkerState ws, long index, double meanLoss, INDArray update, java.util.function.IntPredicate contributed) {
        bridge.roundDone(index, meanLoss, ws.lastBatch, update, contributed);
        monitor.afterApply(ws, index + 1);
    }

    /**
     * A round-based step whose work was dropped (forced restart; with local SGD all its local steps since the last
     * submission): counted as rejected, never applied.
     */
    void discard(WorkerState ws) {
        ws.stats.countRejected();
        ws.resetLocal();
        observe(ws, false, -1, 0);
        bridge.stepFinished();
    }

    /** Cuts a worker's step short (see {@link #interrupter}). */
    interface Interrupter {
        /** Ends worker {@code w}'s step in flight now, dropping its work; false when it has none to cut. */
        boolean interrupt(int w);
    }

    /** Bookkeeping of one applied update (its listeners' event is the caller's: {@link ListenerBridge}). */
    void recordApplied(WorkerState ws, long tau, double scale) {
        ws.stats.recordApplied(tau, scale);
        budget.applied();
    }

    void observe(WorkerState ws, boolean applied, long tau, double scale) {
        StepListener[] o = observers;
        for (int k = 0; k < o.length; k++) {
            o[k].onStep(ws.id, ws.ticket, applied, tau, scale, ws.loss);
        }
    }

    // ---- the optimizer state after the run

    /**
     * At the end of the run (every worker stopped, also after a failure): the network's updater receives the
     * training's state — the store's shared state, worker 0's for sync (its one updater), else the workers' mean —
     * and the per-worker states are kept for the trainer's next fit.
     */
    void writeBackOptimizerState() {
        if (modelState == null) {
            return;
        }
        INDArray[] states = workerStates();
        modelStateInto(modelState, states);
        if (!sharedState) {
            carry.keep(states, modelState);
        }
    }

    /**
     * Before {@code onEpochEnd} (under the listener lock, workers running): the network's updater shows the state of
     * the moment, so an epoch-based {@code CheckpointListener} saves it. Benign race: a running worker's state is read
     * while it may advance it (a mix of two of its consecutive states); the end of the run writes the exact one.
     */
    private void showOptimizerState() {
        if (modelState != null) {
            modelStateInto(modelState, workerStates());
        }
    }

    /**
     * The training's model-level optimizer state into {@code target}, from the workers' {@code states}: the store's
     * shared state, worker 0's for sync (its one updater), else the workers' mean. The one rule for the end of the
     * run, the epoch events and the checkpoints.
     */
    void modelStateInto(INDArray target, INDArray[] states) {
        if (sharedState) {
            store.copySharedStateTo(target);
        } else {
            OptimizerStates.writeInto(target, states, aggregating ? states[0] : null);
        }
    }

    /** Every started worker's updater state (null: not started, or a stateless updater). */
    INDArray[] workerStates() {
        INDArray[] states = new INDArray[m];
        for (int w = 0; w < m; w++) {
            WorkerState ws = workers[w];
            states[w] = ws == null ? null : ws.replica.updaterState();
        }
        return states;
    }

    /** A worker's step under the shared state: the store forms its update through the shared state. */
    private final class SharedStep implements org.dl4jasync.parameters.UpdateFormer {
        private final WorkerState ws;

        SharedStep(WorkerState ws) {
            this.ws = ws;
        }

        @Override
        public INDArray state() {
            return ws.replica.updaterState();
        }

        @Override
        public void form() {
            if (scalesGradient && ws.scaler.last != 1.0) { // the factor the store's τ gave, on the gradient term
                ws.replica.gradient().muli(ws.scaler.last);
            }
            formUpdate(ws);
        }
    }

    // ---- stopping

    /** Ends the run with {@code reason} unless it already has one; wakes every waiting worker. */
    void stop(StopReason reason) {
        stop.compareAndSet(null, reason);
        stopping = true;
        waiters.signal();
    }

    /** Ends the run because a worker failed (no stop reason). */
    void abort() {
        stopping = true;
        waiters.signal();
    }

    boolean stopping() {
        return stopping;
    }

    /** The first stop condition met, or null when the workers ran out of work. */
    StopReason stopReason() {
        return stop.get();
    }
}
