package org.dl4jasync.trainer;

import org.dl4jasync.metrics.WorkerStats;
import org.dl4jasync.model.Replica;
import org.dl4jasync.model.TrainableModel;
import org.dl4jasync.parameters.StepScaler;
import org.dl4jasync.parameters.UpdateFormer;
import org.dl4jasync.parameters.WorkerView;
import org.dl4jasync.stepsize.StepSizePolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One worker's state between the two halves of the step protocol ({@link StepProtocol#begin} and the finishing calls).
 * Confined to the worker's thread (or the simulation thread); {@link #stats} is read by others as
 * {@link WorkerStats} says.
 */
final class WorkerState {
    final int id;
    final WorkerView view;
    final Replica replica;
    final WorkerStats stats;
    final RecordingScaler scaler;
    /** Whether {@link #replica} computes on parameters of its own (deferred gradients, local SGD), not the view's. */
    final boolean ownParams;

    // local SGD (Run.localSteps > 1): local steps taken since the last read, and the sum of their updates
    int localDone;
    private INDArray delta;

    /**
     * Heavy-ball with a step-size rule under a shared state: records the factor of the store's τ for the formation
     * ({@link RecordingScaler#last}) and has the store apply the formed update as it is.
     */
    final StepScaler gradientTermScaler;
    /** Under a shared optimizer state: how the store forms this worker's update; else null. */
    UpdateFormer former;
    /** The read of the step in flight is still open (threads: released once the update is formed or the step refused). */
    boolean readOpen;
    /** The worker's updater state before its last formed update, while that update's fate is open; made on first use. */
    private INDArray stateBefore;
    /** An update was formed from {@link #stateBefore} and is neither applied nor undone yet. */
    private boolean formedPending;

    // the step in flight
    long ticket;
    long readVersion;
    int epochAtRead;
    /** The step's minibatch, until its gradient is computed or skipped. */
    MultiDataSet batch;
    /** The worker's last minibatch (kept past {@link #batch}: what listeners see as the model's input and labels). */
    MultiDataSet lastBatch;

    double loss;
    /** The step's loss or update is NaN or infinite (set by {@link StepWork#toUpdate}). */
    boolean nonFinite;

    int batchSize;

    /** Evaluates for the run when this worker crosses an evaluation point; made on first use. */
    TrainableModel.Evaluator evaluator;

    // waiting time on the run's clock: time not waiting is the worker's active time
    private double idleSeconds;
    private double idleSince = -1;
    private double endedAt = -1;
    /** The run's clock when this run started (a resumed run's clock starts where the checkpoint's stood). */
    private final double since;

    /**
     * @param replica where the worker computes: the view's replica, or (deferred gradients) one over parameters of
     *                its own
     * @param stats   the worker's counters (a resumed run's: taken back from the checkpoint)
     * @param since   the run's clock at its start
     */
    WorkerState(
            int id,
            WorkerView view,
            Replica replica,
            StepSizePolicy stepSize,
            boolean ownParams,
            WorkerStats stats,
            double since) {
        this.id = id;
        this.ownParams = ownParams;
        this.view = view;
        this.replica = replica;
        this.stats = stats;
        this.since = since;
        this.scaler = new RecordingScaler(stepSize);
        RecordingScaler recording = this.scaler;
        this.gradientTermScaler = tau -> {
            recording.factor(tau);
            return 1.0;
        };
    }

    /** Before the worker's updater forms an update: keeps its state, so that the update can be undone exactly. */
    void saveState() {
        INDArray s = replica.updaterState();
        if (s == null) {
            return;
        }
        if (stateBefore == null) {
            try (org.nd4j.linalg.api.memory.MemoryWorkspace ignored =
                    Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                stateBefore = s.dup();
            }
        } else {
            stateBefore.assign(s);
        }
        formedPending = true;
    }

    /** The formed update was not applied: the updater state goes back to what it was before it (else a no-op). */
    void restoreState() {
        if (formedPending) {
            replica.updaterState().assign(stateBefore);
            formedPending = false;
        }
    }

    /** The formed update was applied: its state stays. */
    void stateApplied() {
        formedPending = false;
    }

    /** Adds a local step's update to the delta (allocated on first use, then reused). */
    void addToDelta(INDArray update) {
        if (delta == null) {
            delta = Nd4j.create(update.dataType(), update.shape());
        }
        delta.addi(update);
    }

    /** The sum of the updates since the last submission (local SGD). */
    INDArray delta() {
        return delta;
    }

    /** After a submission or a restart: the next step reads the shared parameters again. */
    void resetLocal() {
        localDone = 0;
        if (delta != null) {
            delta.assign(0);
        }
    }

    void waitStarts(double now) {
        if (idleSince < 0) {
            idleSince = now;
        }
    }

    void waitEnds(double now) {
        if (idleSince >= 0) {
            idleSeconds += now - idleSince;
            idleSince = -1;
        }
    }

    /** The worker leaves the run at {@code now}: it waits (uses nothing) from then on. */
    void ended(double now) {
        waitEnds(now);
        endedAt = now;
    }

    /** Seconds this worker was not waiting in this run, from its start to {@code end}. */
    double activeSeconds(double end) {
        double stop = endedAt >= 0 ? Math.min(endedAt, end) : end;
        double idle = idleSeconds + (idleSince >= 0 ? Math.max(0, stop - idleSince) : 0);
        return Math.max(0, stop - since - idle);
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
