package org.dl4jasync.trainer;

import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dl4jasync.dispatch.ActiveWorkers;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.metrics.StepListener;
import org.dl4jasync.metrics.AsynchronyNoise;
import org.dl4jasync.metrics.WorkerStats;
import org.dl4jasync.parameters.StepScaler;
import org.dl4jasync.parameters.WorkerView;
import org.dl4jasync.stepsize.StepSizePolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One asynchronous worker: the per-step hot path (Interval-Asynchrony paper, Algorithm 1).
 *
 * <pre>
 * loop: permit → i = TRYSTARTSTEP(w) → batch = GETBATCH(i) → v = read θ → gradient on the replica
 *       → the worker's DL4J updater turns it into an update → release θ
 *       → if FINISHSTEP(w, i): apply scaled by the step-size factor for τ, record τ
 * </pre>
 *
 * After warm-up nothing here allocates an array: the replica's gradient buffer is the update, the store applies
 * it in place (BLAS axpy), the staleness histogram grows only on a new maximum τ. (ND4J op objects created
 * inside DL4J's forward/backward pass are DL4J's own.)
 */
final class AsyncWorkerLoop {
    private final TrainingRun run;
    private final int w;

    AsyncWorkerLoop(TrainingRun run, int w) {
        this.run = run;
        this.w = w;
    }

    void run() throws InterruptedException {
        final TrainingRun r = run;
        final WorkerStats st = r.stats[w];
        final WorkerView view = r.store.newWorkerView(w);
        final MultiLayerNetwork replica = view.replica();
        final Updater updater = replica.getUpdater();
        final LayerWorkspaceMgr noWs = LayerWorkspaceMgr.noWorkspaces();
        final StepSizePolicy stepSize = r.t.stepSize;
        final AsynchronyNoise noise = r.t.noise;
        final RecordingScaler scaler = new RecordingScaler(stepSize);
        final Dispatcher dispatcher = r.dispatcher;
        final BatchSource source = r.source;
        final StepBudget budget = r.budget;
        final ListenerBridge bridge = r.bridge;
        final List<StepListener> stepListeners = r.t.stepListeners;
        final ActiveWorkers active = dispatcher.active();
        final BooleanSupplier ended = () -> r.stop || r.dataEnded;
        final long begin = System.nanoTime();
        long idleNanos = 0;
        int idleRounds = 0;
        try {
            while (!r.stop && !r.dataEnded) {
                if (!budget.tryAcquire()) {
                    if (budget.exhausted()) {
                        break;
                    }
                    LockSupport.parkNanos(50_000); // in-flight steps may still give permits back
                    continue;
                }
                long ticket = dispatcher.tryStartStep(w);
                if (ticket == Dispatcher.NOT_NOW) {
                    budget.giveBack();
                    long t = System.nanoTime();
                    if (!active.allows(w)) {
                        active.await(w, ended); // parked: no CPU until the controller raises the bound
                    } else {
                        idle(idleRounds++);
                    }
                    idleNanos += System.nanoTime() - t;
                    continue;
                }
                idleRounds = 0;
                DataSet ds;
                try {
                    ds = source.batch(ticket);
                } catch (RuntimeException | InterruptedException e) {
                    source.done(ticket);
                    throw e;
                }
                if (ds == null) { // past the last epoch: so is every later ticket
                    source.done(ticket);
                    budget.giveBack();
                    r.dataEnded();
                    break;
                }
                st.started++;
                final long stepStart = System.nanoTime();
                long readVersion = view.read();
                double loss;
                try {
                    replica.setInput(ds.getFeatures());
                    replica.setLabels(ds.getLabels());
                    replica.setLayerMaskArrays(ds.getFeaturesMaskArray(), ds.getLabelsMaskArray());
                    replica.computeGradientAndScore();
                    loss = replica.score();
                    updater.update(replica, replica.gradient(), bridge.baseIteration() + (int) readVersion,
                            bridge.currentEpoch(), (int) ds.getFeatures().size(0), noWs);
                    if (noise != null) {
                        noise.computed(readVersion, replica.getGradientsViewArray());
                    }
                } finally {
                    view.release();
                    source.done(ticket);
                }
                st.recordLoss(loss);
                st.recordStepTime((System.nanoTime() - stepStart) / 1e9);
                boolean applied = false;
                long tau = -1;
                double scale = 0;
                if (dispatcher.finishStep(w, ticket)) {
                    INDArray update = replica.getGradientsViewArray();
                    tau = view.apply(update, readVersion, scaler);
                    if (tau == WorkerView.DROPPED) {
                        st.dropped++;
                        budget.giveBack();
                        tau = -1;
                    } else {
                        applied = true;
                        scale = scaler.last;
                        if (noise != null) {
                            noise.applied(readVersion + tau, update, scale);
                        }
                        stepSize.observe(tau);
                        st.recordApplied(tau, scale);
                        budget.applied();
                        bridge.iterationDone(readVersion + tau, loss);
                    }
                    dispatcher.afterApply(w, ticket);
                } else {
                    st.rejected++;
                    budget.giveBack();
                }
                for (int k = 0; k < stepListeners.size(); k++) {
                    stepListeners.get(k).onStep(w, ticket, applied, tau, scale, loss);
                }
                bridge.stepFinished();
            }
        } finally {
            st.activeNanos = System.nanoTime() - begin - idleNanos;
        }
    }

    /** Back-off while not allowed to start: spin briefly, then park (an inactive worker uses no CPU). */
    private static void idle(int rounds) {
        if (rounds < 16) {
            Thread.onSpinWait();
        } else if (rounds < 32) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(Math.min(1_000_000L, 10_000L << Math.min(rounds - 32, 7)));
        }
    }

    /** Remembers the factor the store asked for, so the worker records exactly what was applied. */
    static final class RecordingScaler implements StepScaler {
        private final StepSizePolicy policy;
        double last;

        RecordingScaler(StepSizePolicy policy) {
            this.policy = policy;
        }

        @Override
        public double factor(long staleness) {
            double f = policy.factor(staleness);
            last = f;
            return f;
        }
    }
}
