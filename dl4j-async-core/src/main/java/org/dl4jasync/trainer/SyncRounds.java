package org.dl4jasync.trainer;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import org.dl4jasync.dispatch.ActiveWorkers;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.model.Replica;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.parameters.StepScaler;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Synchronous data-parallel SGD, the papers' "Sync" baseline, as a dispatcher on the common step protocol: in round
 * r worker w computes the gradient of ticket r·m + w on the parameters of version r; when every worker has
 * contributed (or left: its data ended), worker 0 averages the raw gradients into its own, runs its DL4J updater
 * once and applies the update (τ = 0); then round r + 1 starts. A worker that has contributed to the current round
 * may not start a step ({@link #mayStart} is false) and waits until worker 0 closes the round. Worker 0 closes it
 * in its next {@link #tryStartStep}, so its replica is only ever used by its own thread; there is no barrier, so
 * any stop condition simply ends the waiting.
 *
 * <p>Protocols: {@link #round} is written by worker 0 after the round's update is applied and read by all;
 * {@link #contributedIn}[w] is the round worker w last contributed to (written by w, read by all); the round's
 * contributions ({@link #contributor}, {@link #arrived}, {@link #goneBefore}, {@link #goneNow}) are guarded by this object's monitor: the one
 * lock of this class, taken once per worker and round (never per parameter).
 */
final class SyncRounds implements Dispatcher, Rounds {
    private final CompletionHost host;
    private final ParameterStore store;
    private final ListenerBridge bridge;
    private final int m;
    private final ActiveWorkers active;
    private volatile long round;
    private final AtomicLongArray contributedIn;
    /** Guarded by this: the worker states that contributed to the current round (null: not yet or none). */
    private final WorkerState[] contributor;
    /** Guarded by this: workers that contributed to or left in the current round. */
    private int arrived;
    /** Guarded by this: workers that left in earlier rounds (they arrive in no later round). */
    private int goneBefore;
    /** Guarded by this: workers that left in the current round. */
    private int goneNow;

    SyncRounds(CompletionHost host, int workers, ParameterStore store, ListenerBridge bridge) {
        this.host = host;
        this.store = store;
        this.bridge = bridge;
        this.m = workers;
        this.active = new ActiveWorkers(workers);
        this.contributedIn = new AtomicLongArray(workers);
        for (int w = 0; w < workers; w++) {
            contributedIn.set(w, -1);
        }
        this.contributor = new WorkerState[workers];
    }

    @Override
    public boolean mayStart(int worker) {
        return contributedIn.get(worker) != round || (worker == 0 && roundComplete());
    }

    private synchronized boolean roundComplete() {
        return arrived + goneBefore >= m;
    }

    @Override
    public long tryStartStep(int worker) {
        if (contributedIn.get(worker) == round && (worker != 0 || !closeIfComplete())) {
            return NOT_NOW;
        }
        return round * m + worker;
    }

    @Override
    public boolean finishStep(int worker, long ticket) {
        return true;
    }

    /** Worker {@code ws} has computed its gradient of the current round (threads: on its own thread). */
    @Override
    public void submit(WorkerState ws) {
        boolean refused = host.refuseNonFinite(ws, NOTHING_TO_GIVE_BACK); // arrives, but adds nothing to the mean
        synchronized (this) {
            contributor[ws.id] = refused ? null : ws;
            arrived++;
            contributedIn.set(ws.id, round);
        }
        if (ws.id != 0) {
            host.signalWaiters(); // worker 0 may be waiting to close the round
        }
    }

    /** A worker leaves only after a ticket of a round it has not contributed to: it arrives in this round. */
    @Override
    public void workerLeft(int worker) {
        synchronized (this) {
            arrived++;
            goneNow++;
        }
        host.signalWaiters();
    }

    /** Worker 0: applies the round when every worker has contributed or left; false while it is still open. */
    @SuppressWarnings("NonAtomicVolatileUpdate") // round: single writer, worker 0 (the closer)
    private boolean closeIfComplete() {
        WorkerState[] in;
        int count = 0;
        synchronized (this) {
            if (arrived + goneBefore < m) {
                return false;
            }
            in = contributor.clone();
            for (int w = 0; w < m; w++) {
                contributor[w] = null;
                if (in[w] != null) {
                    count++;
                }
            }
            arrived = 0;
            goneBefore += goneNow;
            goneNow = 0;
        }
        if (count > 0) {
            applyRound(in, count);
        }
        round = round + 1; // volatile: the round's update is in the parameters before anyone starts the next
        host.signalWaiters();
        return true;
    }

    /** A refused (non-finite) contribution: a round's budget is the round's, nothing to give back. */
    private static final Consumer<WorkerState> NOTHING_TO_GIVE_BACK = ws -> {};

    /** Averages the raw gradients into worker 0's, runs worker 0's updater once, applies with τ = 0. */
    private void applyRound(WorkerState[] in, int count) {
        // tickets are consecutive: a round with any data has data at worker 0, whose updater every round uses; its
        // gradient is missing only when it was refused (non-finite), and then its buffer is the sum's start at zero
        WorkerState master = host.worker(0);
        Replica r = master.replica;
        INDArray g = r.gradient();
        double loss = 0;
        if (in[0] == null) {
            g.assign(0);
        } else {
            loss = master.loss;
        }
        for (int w = 1; w < m; w++) {
            if (in[w] != null) {
                g.addi(in[w].replica.gradient());
                loss += in[w].loss;
            }
        }
        if (count > 1) {
            g.divi(count);
        }
        long index = store.version();
        r.toUpdate(bridge.baseIteration() + (int) index, bridge.currentEpoch(), master.batchSize);
        master.view.apply(g, index, StepScaler.UNIT); // one writer per round: exact, τ = 0
        master.scaler.last = 1.0;
        host.applied(master, 0, 1.0);
        bridge.roundDone(index, loss / count, master.lastBatch, g, w -> in[w] != null);
        for (int w = 0; w < m; w++) {
            if (in[w] != null) {
                host.ended(in[w], w == 0, w == 0 ? 0 : -1, w == 0 ? 1.0 : 0);
            }
        }
        host.afterApply(master, index + 1);
    }

    @Override
    public long started() {
        return round * m;
    }

    @Override
    public ActiveWorkers active() {
        return active;
    }
}
