package org.dl4jasync.trainer;

import org.dl4jasync.metrics.AsynchronyNoise;
import org.dl4jasync.model.Replica;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.parameters.UpdateFormer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The computing half of a step, on the worker's replica: its gradient, and the update its DL4J updater forms from
 * it. Called by {@link StepProtocol#begin} on threads, and for a deferred step ({@link Run#deferred}, simulation) by the
 * {@link GradientPool} once the step is accepted or contributes. Touches the worker's replica and state only, plus
 * the read-only store version (a heavy-ball step-size factor) and the data source's release of the batch.
 */
final class StepWork {
    private final long seed;
    private final boolean deferred;
    private final ListenerBridge bridge;
    private final ParameterStore store;
    private final BatchSource source;
    private final AsynchronyNoise noise;
    /** Sync: the round's one updater forms the update (SyncRounds), so a worker forms none. */
    private final boolean aggregating;
    /** A shared optimizer state: the store forms the update at apply time ({@link SharedStep}). */
    private final boolean sharedState;
    /** The worker's updater state is saved before it forms an update whose fate is open (per-step, stateful). */
    private final boolean savesState;
    /** A heavy-ball step-size factor scales the gradient term ({@link Run#scalesGradient}). */
    private final boolean scalesGradient;
    /** A model with parameters (scheduling only: no loss, no update). */
    private final boolean recordLoss;

    StepWork(
            long seed,
            boolean deferred,
            ListenerBridge bridge,
            ParameterStore store,
            BatchSource source,
            AsynchronyNoise noise,
            boolean aggregating,
            boolean sharedState,
            boolean savesState,
            boolean scalesGradient,
            boolean recordLoss) {
        this.seed = seed;
        this.deferred = deferred;
        this.bridge = bridge;
        this.store = store;
        this.source = source;
        this.noise = noise;
        this.aggregating = aggregating;
        this.sharedState = sharedState;
        this.savesState = savesState;
        this.scalesGradient = scalesGradient;
        this.recordLoss = recordLoss;
    }

    /**
     * The gradient of the step {@code ws} began, on its replica: at once in {@link StepProtocol#begin}, or when the step is
     * deferred later, on any thread, from the copy {@code begin} made. Touches nothing but the replica (and the ND4J
     * random generator of the calling thread, seeded per step when deferred, so that the thread it runs on does not
     * matter).
     */
    void gradient(WorkerState ws) {
        if (deferred) {
            Nd4j.getRandom().setSeed(seed * 0x9E3779B97F4A7C15L + ws.ticket);
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
            if (savesState) {
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
        if (recordLoss) {
            ws.stats.recordLoss(ws.loss);
            ws.nonFinite = !Double.isFinite(ws.loss) || !finite(replica.gradient());
        }
        if (noise != null && !aggregating && !ws.nonFinite) {
            noise.computed(ws.readVersion, replica.gradient());
        }
    }

    /** A step that was computed but not accepted: its loss is counted (it never became an update). */
    void countRefused(WorkerState ws) {
        if (recordLoss) {
            ws.stats.recordLoss(ws.loss);
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

    /** How the store forms the update of {@code ws} through the shared optimizer state. */
    UpdateFormer sharedStep(WorkerState ws) {
        return new SharedStep(ws);
    }

    /** A worker's step under the shared state: the store forms its update through the shared state. */
    private final class SharedStep implements UpdateFormer {
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
}
