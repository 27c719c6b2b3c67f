package org.dl4jasync.trainer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.dl4jasync.checkpoint.CheckpointStates;
import org.dl4jasync.checkpoint.Checkpointable;
import org.dl4jasync.dispatch.ActiveWorkers;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.dispatch.RoundBoard;
import org.dl4jasync.dispatch.RoundPolicy;
import org.dl4jasync.metrics.ReportBuilder;
import org.dl4jasync.parameters.StepScaler;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The rounds of K-async SGD, AdaSync and ABS on the common step protocol (the algorithms are the
 * {@link RoundPolicy}s: {@code KAsyncPolicy}, {@code AbsPolicy}). Every worker computes asynchronously from the
 * latest model; its DL4J updater turns the gradient into its update, which it submits: the update, scaled by the
 * step-size factor of its staleness in rounds, is added to the open round. When K submissions have arrived the
 * submitter that brought the K-th averages them and applies the average as one update (one version, so the store's
 * version counts rounds and a submission's τ is the number of rounds since its base). A worker that submitted waits
 * until the round it submitted to has closed (then it reads the new model); workers that were not among the K keep
 * computing and submit to a later round with their staleness. A submission whose base lags more than the policy's
 * S rounds is dropped and its worker restarts from the latest model (ABS's forced restart, counted in
 * {@code restarts}); in simulation the engine cuts such a worker's step short at the round's end
 * (its {@link Run.Interrupter}), on threads it is found at the submission.
 *
 * <p>Deviations from a parameter server, both from sharing memory with DL4J's per-worker updaters: a submission is
 * the worker's update (its own updater applied), not its raw gradient, so the average of K updates is the server's
 * step only for plain SGD (with momentum each worker keeps its own velocity, as in every asynchronous algorithm
 * here); and a worker submits at most once per round (it waits for the round's end), which is what makes K = m with
 * S = 0 synchronous SGD and K = 1 with S = ∞ plain async.
 *
 * <p>With a {@link RoundBoard} (a store that other processes train on: the cluster module's) the open round, its
 * count, the policy and the round index are the board's, shared by every process's workers; this object keeps the
 * rest (staleness factor, local steps, the wait for one's round, counts, listeners). A round is then counted (its
 * K/S trace point, the update budget, listeners) by the process whose submission completed it, and {@link #report}
 * gives this process's part (the cluster's report adds the parts up).
 *
 * <p>Protocols: this object's monitor guards the open round ({@link #buffer}, {@link #count}, {@link #lossSum}), the
 * policy, the traces and the departed-worker count; taken once per submission (a BLAS axpy under it) and for a
 * round's apply. {@link #round} (volatile) is the number of closed rounds, written under the monitor after the
 * round's update is in the store, read by all. {@link #contributedIn}[w] is the round worker w last submitted to
 * (written by w under the monitor, read by all). {@link #startedIn}[w] is the round in which worker w's current
 * step (with local SGD: its first local step since its last submission) started (−1: none in flight); written by w,
 * read by the simulation's round close.
 */
final class KAsyncRounds implements Dispatcher, Checkpointable<RoundRecord.State>, Rounds {
    private final CompletionHost host;
    private final ListenerBridge bridge;
    private final DoubleSupplier clock;
    /** Local SGD: steps a worker takes on its own copy per submission; 1: plain update submission. */
    private final int localSteps;
    /** Cuts a worker's step short at a round's end (simulation), else null (threads: found at the submission). */
    private final Run.Interrupter interrupter;

    private final int m;
    private final RoundPolicy policy;
    private final ActiveWorkers active;
    private final AtomicLong nextTicket = new AtomicLong();
    private final AtomicLongArray contributedIn;
    private final AtomicLongArray startedIn;
    private volatile long round;
    /** Guarded by this: the sum of the open round's scaled updates (allocated on the first submission). */
    private INDArray buffer;
    /**
     * The last closed round's update as DL4J listeners see it (only with listeners): written under the monitor at a
     * close, read outside it by that close's {@link #afterClose}. Benign race: a close that overtakes an earlier
     * one's listener call shows its own (newer) round there; the values are for display only.
     */
    private INDArray shown;
    /** Guarded by this. */
    private int count;

    private double lossSum;
    private int lossCount;
    /** Guarded by this: gone[w] once worker w's data ended (it submits no more). */
    private final boolean[] gone;

    /** Guarded by this: the counts and K/S traces for the report and checkpoints. */
    private final RoundRecord record;

    /** The rounds of a training over several processes, or null: the open round is this object's. */
    private final RoundBoard board;
    /** With a board, guarded by this: the rounds this process's submissions completed. */
    private long closedHere;

    KAsyncRounds(
            CompletionHost host,
            int workers,
            RoundPolicy policy,
            ListenerBridge bridge,
            DoubleSupplier clock,
            int localSteps,
            Run.Interrupter interrupter,
            RoundBoard board) {
        this.host = host;
        this.board = board;
        this.bridge = bridge;
        this.clock = clock;
        this.localSteps = localSteps;
        this.interrupter = interrupter;
        this.m = workers;
        this.policy = policy;
        this.active = new ActiveWorkers(workers);
        this.contributedIn = new AtomicLongArray(workers);
        this.gone = new boolean[workers];
        this.startedIn = new AtomicLongArray(workers);
        for (int w = 0; w < workers; w++) {
            contributedIn.set(w, -1);
            startedIn.set(w, -1);
        }
        this.record = new RoundRecord(policy);
    }

    /**
     * An active worker may start unless it submitted to the open round; it may also when the open round is already
     * complete (the active bound fell below its size: elastic parallelism), so that it closes it in
     * {@link #tryStartStep}.
     */
    @Override
    public boolean mayStart(int worker) {
        return active.allows(worker) && (!waitsForItsRound(worker) || roundComplete());
    }

    /** Whether {@code worker} submitted to a round that has not closed yet. */
    private boolean waitsForItsRound(int worker) {
        long r = contributedIn.get(worker);
        if (board == null) {
            return r == round;
        }
        return r >= 0 && !board.closedAfter(r);
    }

    /** Rounds closed (the version bases are counted in): this object's, or the board's. */
    private long closedRounds() {
        return board == null ? round : board.closed();
    }

    /** S now: the policy's, or as the board last said. */
    private long maxRoundsBehind() {
        return board == null ? policy.maxRoundsBehind() : board.maxRoundsBehind();
    }

    /**
     * Whether the open round has all the submissions it can get (asked only by a worker that submitted to it). With a
     * board never: the board closes its rounds.
     */
    private synchronized boolean roundComplete() {
        return board == null && count > 0 && count >= roundSize();
    }

    @Override
    public long tryStartStep(int worker) {
        if (!active.allows(worker)) {
            return NOT_NOW;
        }
        if (waitsForItsRound(worker) && !closeIfComplete(worker)) {
            return NOT_NOW;
        }
        if (startedIn.get(worker) < 0) { // the first (local) step since its last submission: it reads this round
            startedIn.set(worker, closedRounds());
        }
        return nextTicket.getAndIncrement();
    }

    @Override
    public boolean finishStep(int worker, long ticket) {
        return true;
    }

    /** The finish of worker {@code ws}'s step (its update is ready): a local step, or a submission to the open round. */
    @Override
    public void submit(WorkerState ws) {
        if (host.refuseNonFinite(ws, abandon)) {
            return;
        }
        if (!keepLocal(ws)) {
            toRound(ws);
        }
    }

    /**
     * Local SGD ({@link #localSteps} &gt; 1): unless this is the worker's last local step, applies the step's
     * update to the worker's own copy and adds it to its delta, and returns true (nothing to submit yet); false when
     * the delta (with this step's update) is to be submitted. A worker whose base is already more than S rounds old
     * drops its local work here, between local steps, and restarts (ABS).
     */
    private boolean keepLocal(WorkerState ws) {
        if (localSteps == 1) {
            return false;
        }
        INDArray update = ws.replica.gradient();
        ws.addToDelta(update);
        if (++ws.localDone >= localSteps) {
            return false;
        }
        if (closedRounds() - ws.readVersion > maxRoundsBehind()) {
            synchronized (this) {
                record.restarted();
            }
            startedIn.set(ws.id, -1);
            host.discard(ws);
            return true;
        }
        INDArray local = ws.replica.params(); // θ_local ← θ_local − update (flat buffers of equal length)
        Nd4j.getBlasWrapper().level1().axpy(local.length(), -1.0, update, local);
        host.ended(ws, false, -1, 0); // not in the shared model (yet)
        return true;
    }

    /** A step refused as non-finite: the worker's local work since its last read goes with it (it reads again). */
    private void abandon(WorkerState ws) {
        startedIn.set(ws.id, -1);
        ws.resetLocal();
    }

    private final Consumer<WorkerState> abandon = this::abandon;

    /** What {@code ws} submits: its update, or with local SGD the sum of its local steps' updates. */
    private INDArray submission(WorkerState ws) {
        return localSteps == 1 ? ws.replica.gradient() : ws.delta();
    }

    /**
     * Worker {@code ws} submits the update of the step it began (on its own thread; the update is ready). Adds it to
     * the open round, or drops it when its base is too old; closes the round when it brings the K-th submission.
     */
    private void toRound(WorkerState ws) {
        if (board != null) {
            toBoard(ws);
            return;
        }
        startedIn.set(ws.id, -1);
        long tau;
        double factor = 0;
        long closedRound = -1;
        double meanLoss = Double.NaN;
        synchronized (this) {
            if (host.ending()) {
                return; // in flight at the stop: no fate (as a step the simulation cuts off)
            }
            long r = round;
            tau = r - ws.readVersion; // rounds since its base: versions are rounds
            if (tau > policy.maxRoundsBehind()) {
                record.restarted();
                tau = -1;
            } else {
                factor = ws.scaler.factor(tau);
                add(submission(ws), factor);
                record.uploaded();
                if (!Double.isNaN(ws.loss)) {
                    lossSum += ws.loss;
                    lossCount++;
                }
                policy.submitted(ws.loss);
                contributedIn.set(ws.id, r);
                host.submitted(ws, tau, factor);
                if (count >= roundSize()) {
                    meanLoss = lossCount == 0 ? Double.NaN : lossSum / lossCount;
                    closedRound = applyRound(ws);
                }
            }
        }
        if (tau < 0) {
            host.discard(ws);
            return;
        }
        ws.resetLocal();
        host.ended(ws, true, tau, factor);
        if (closedRound >= 0) {
            afterClose(ws, closedRound, meanLoss);
        }
    }

    /**
     * {@link #toRound} with a board: the board decides the round (or the restart) and the submission is deposited
     * there; this process counts the round when its submission completed it.
     */
    private void toBoard(WorkerState ws) {
        startedIn.set(ws.id, -1);
        if (host.ending()) {
            return; // in flight at the stop: no fate
        }
        RoundBoard.Entry e = board.take(ws.readVersion, ws.loss);
        if (e.restarts()) {
            synchronized (this) {
                record.restarted();
            }
            host.discard(ws);
            return;
        }
        double factor = ws.scaler.factor(e.tau());
        board.deposit(e, submission(ws), factor);
        long counted = -1;
        synchronized (this) {
            record.uploaded();
            contributedIn.set(ws.id, e.round());
            host.submitted(ws, e.tau(), factor);
            if (e.closes()) {
                counted = closedHere++;
                record.closed(e.round(), clock.getAsDouble(), e.k(), e.s()); // the training's round index
                host.roundCounted();
            }
        }
        ws.resetLocal();
        host.ended(ws, true, e.tau(), factor);
        if (counted >= 0) {
            long entered = e.round();
            bridge.roundDone(counted, e.meanLoss(), ws.lastBatch, null, w -> contributedIn.get(w) == entered);
            host.afterApply(ws, counted + 1);
        }
    }

    /** Under the monitor: adds {@code factor · update} to the open round. */
    private void add(INDArray update, double factor) {
        if (buffer == null) {
            buffer = Nd4j.create(update.dataType(), update.shape());
        }
        Nd4j.getBlasWrapper().level1().axpy(update.length(), factor, update, buffer);
        count++;
    }

    /** Outside the monitor, by the worker that closed round {@code index}: listeners, monitor, waiters. */
    private void afterClose(WorkerState ws, long index, double meanLoss) {
        bridge.roundDone(index, meanLoss, ws.lastBatch, shown, w -> contributedIn.get(w) == index);
        host.afterApply(ws, index + 1);
        host.signalWaiters(); // the round's contributors may start again
        interruptTooStale();
    }

    /**
     * K of the open round, lowered to the workers that can still submit: those below the active bound whose data has
     * not ended. Under the monitor (O(m)).
     */
    private int roundSize() {
        int bound = active.get();
        int present = bound;
        for (int w = 0; w < bound; w++) {
            if (gone[w]) {
                present--;
            }
        }
        return Math.max(1, Math.min(policy.k(), present));
    }

    /**
     * Worker {@code worker} (on its own thread) closes the open round when it is already complete — its size fell
     * with the active bound — through its own view; true when it did.
     */
    private boolean closeIfComplete(int worker) {
        return closeIfComplete(worker, false);
    }

    /** Closes the open round through worker {@code worker}'s view if it is complete ({@code leaving}: it left). */
    private boolean closeIfComplete(int worker, boolean leaving) {
        if (board != null) {
            return false; // the board closes its rounds
        }
        WorkerState ws = host.worker(worker);
        long closedRound = -1;
        double meanLoss = Double.NaN;
        synchronized (this) {
            gone[worker] |= leaving;
            if (count > 0 && count >= roundSize() && !host.ending()) {
                meanLoss = lossCount == 0 ? Double.NaN : lossSum / lossCount;
                closedRound = applyRound(ws);
            }
        }
        if (closedRound < 0) {
            return false;
        }
        afterClose(ws, closedRound, meanLoss);
        return true;
    }

    /**
     * Under the monitor: the average of the round's submissions as one update through {@code ws}'s view (τ = 0: every
     * write to the store happens here, under the monitor); returns the round's index (its version − 1).
     */
    private long applyRound(WorkerState ws) {
        long r = round;
        if (count > 1) {
            buffer.divi(count);
        }
        ws.view.apply(buffer, r, StepScaler.UNIT);
        if (bridge.hasListeners()) { // what listeners see as the model's update (ListenerBridge)
            if (shown == null) {
                shown = buffer.dup();
            } else {
                shown.assign(buffer);
            }
        }
        buffer.assign(0);
        count = 0;
        lossSum = 0;
        lossCount = 0;
        policy.roundClosed();
        host.roundCounted();
        round = r + 1; // volatile: the update is in the store before a contributor may read again
        double now = clock.getAsDouble();
        record.closed(r, now);
        return r;
    }

    /** After a close, in simulation: every worker whose step started too many rounds ago is cut short now. */
    private void interruptTooStale() {
        Run.Interrupter cut = interrupter;
        long s = policy.maxRoundsBehind();
        if (cut == null || s == Long.MAX_VALUE) {
            return;
        }
        long r = round;
        for (int w = 0; w < m; w++) {
            long base = startedIn.get(w);
            if (base >= 0 && r - base > s && cut.interrupt(w)) {
                startedIn.set(w, -1);
                synchronized (this) {
                    record.restarted();
                }
            }
        }
    }

    /**
     * A worker leaves (its data ended), on its own thread: rounds no longer wait for it, and when the open round
     * already has every submission that can still come, it closes now (through the leaving worker's view).
     */
    @Override
    public void workerLeft(int worker) {
        if (board != null) {
            board.left();
            host.signalWaiters();
            return;
        }
        if (!closeIfComplete(worker, true)) {
            host.signalWaiters();
        }
    }

    @Override
    public long started() {
        return nextTicket.get();
    }

    /** With a board: this process's workers leave its rounds. */
    @Override
    public void runEnded() {
        if (board != null) {
            board.ended();
        }
    }

    @Override
    public synchronized void report(ReportBuilder report) {
        report.algorithm(policy.label());
        policy.report(report);
        record.report(report, board == null ? round : closedHere + board.completedByDepartures());
    }

    @Override
    public ActiveWorkers active() {
        return active;
    }

    /**
     * The counts, traces and the policy's state (a checkpoint; workers paused). Submissions to the open round are
     * not kept: a resumed run starts with an empty round.
     */
    @Override
    public synchronized RoundRecord.State checkpointState() {
        if (board != null) { // the training's policy is the board's; this process's rounds are its own
            return record.state(closedHere + board.completedByDepartures(), CheckpointStates.of(board.policy()));
        }
        return record.state(round, CheckpointStates.of(policy));
    }

    @Override
    public synchronized void restoreState(RoundRecord.State state) {
        record.restore(state);
        CheckpointStates.restore(policy, state.policy());
        if (board != null) {
            board.restore(policy);
        }
    }

    @Override
    public Class<RoundRecord.State> stateType() {
        return RoundRecord.State.class;
    }
}
