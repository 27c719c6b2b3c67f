package org.dl4jasync.trainer;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dl4jasync.metrics.WorkerStats;
import org.dl4jasync.parameters.StepScaler;
import org.dl4jasync.parameters.WorkerView;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Synchronous data-parallel SGD, the papers' "Sync" baseline: in round r worker w computes the gradient of ticket
 * r·m + w on the same parameters; after a barrier worker 0 averages the m raw gradients into its own, runs its
 * DL4J updater once and applies the update (τ = 0); after a second barrier the next round starts. Each replica is
 * used by its own thread only.
 *
 * <p>Protocols: {@link #batchSize}[w] is written by worker w before the first barrier and read by worker 0 after
 * it; {@link #finished} is written by worker 0 between the barriers and read by all after the second. Both
 * barriers are reset (broken) when the run stops or a worker fails, which releases every waiting worker.
 */
final class SyncRounds {
    private final TrainingRun run;
    private final int workers;
    private final CyclicBarrier gradientsReady;
    private final CyclicBarrier updateApplied;
    private final MultiLayerNetwork[] replicas;
    private final int[] batchSize;
    private volatile boolean finished;

    SyncRounds(TrainingRun run) {
        this.run = run;
        this.workers = run.t.workers;
        this.gradientsReady = new CyclicBarrier(workers);
        this.updateApplied = new CyclicBarrier(workers);
        this.replicas = new MultiLayerNetwork[workers];
        this.batchSize = new int[workers];
    }

    void abort() {
        gradientsReady.reset();
        updateApplied.reset();
    }

    void worker(int w) throws InterruptedException {
        final TrainingRun r = run;
        final WorkerStats st = r.stats[w];
        final long begin = System.nanoTime();
        final WorkerView view = r.store.newWorkerView(w); // a HOGWILD view: every replica sees the one buffer
        final MultiLayerNetwork replica = view.replica();
        replicas[w] = replica;
        final LayerWorkspaceMgr noWs = LayerWorkspaceMgr.noWorkspaces();
        try {
            for (long round = 0; ; round++) {
                long ticket = round * workers + w;
                DataSet ds = r.stop ? null : r.source.batch(ticket);
                batchSize[w] = 0;
                try {
                    if (ds != null) {
                        st.started++;
                        long stepStart = System.nanoTime();
                        replica.setInput(ds.getFeatures());
                        replica.setLabels(ds.getLabels());
                        replica.setLayerMaskArrays(ds.getFeaturesMaskArray(), ds.getLabelsMaskArray());
                        replica.computeGradientAndScore();
                        st.recordLoss(replica.score());
                        batchSize[w] = (int) ds.getFeatures().size(0);
                        st.recordStepTime((System.nanoTime() - stepStart) / 1e9);
                    }
                } finally {
                    r.source.done(ticket);
                }
                if (!await(gradientsReady)) {
                    return;
                }
                if (w == 0) {
                    combineAndApply(st, view, noWs);
                }
                if (!await(updateApplied) || finished) {
                    return;
                }
            }
        } finally {
            st.activeNanos = System.nanoTime() - begin;
        }
    }

    private void combineAndApply(WorkerStats st, WorkerView view, LayerWorkspaceMgr noWs) {
        final TrainingRun r = run;
        int count = 0;
        for (int k = 0; k < workers; k++) {
            if (batchSize[k] > 0) {
                count++;
            }
        }
        // tickets are consecutive, so a round with any data has data at worker 0
        if (count == 0 || batchSize[0] == 0) {
            finished = true;
            return;
        }
        MultiLayerNetwork master = replicas[0];
        INDArray g = master.getGradientsViewArray();
        for (int k = 1; k < workers; k++) {
            if (batchSize[k] > 0) {
                g.addi(replicas[k].getGradientsViewArray());
            }
        }
        if (count > 1) {
            g.divi(count);
        }
        long index = r.store.version();
        master.getUpdater().update(master, master.gradient(), r.bridge.baseIteration() + (int) index,
                r.bridge.currentEpoch(), batchSize[0], noWs);
        // one writer per round, between barriers: the HOGWILD store's apply is exact here (τ = 0)
        view.apply(g, index, StepScaler.UNIT);
        st.recordApplied(0, 1.0);
        r.budget.applied();
        r.bridge.iterationDone(index, master.score());
        for (int k = 0; k < count; k++) {
            r.bridge.stepFinished();
        }
        if (count < workers || r.stop || r.budget.exhausted()) {
            finished = true;
        }
    }

    private static boolean await(CyclicBarrier b) throws InterruptedException {
        try {
            b.await();
            return true;
        } catch (BrokenBarrierException e) {
            return false; // another worker failed or the run was stopped
        }
    }
}
