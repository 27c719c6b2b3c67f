package org.dl4jasync.trainer;

import org.dl4jasync.config.OptimizerState;
import org.dl4jasync.model.Replica;
import org.dl4jasync.parameters.ParameterStore;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The optimizer state of a run: where each worker's DL4J updater state starts (the network's, the trainer's carry
 * from an earlier fit, or a checkpoint's), and the one rule for what the network's updater holds afterwards — the
 * store's shared state, worker 0's for sync (its one updater), else the workers' mean — used at the end of the run,
 * at the epoch events and by the checkpoints.
 *
 * <p>Protocol: {@link #workers} is the run's array; entry w is written once by worker w's thread before it starts
 * (the simulation: its one thread) and read here at the end of the run (after every worker stopped) or at an epoch
 * event (under the listener lock, a benign race: see {@link #show}).
 */
final class RunOptimizerState {
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

    private final boolean aggregating;
    private final ParameterStore store;
    /** The trainer's per-worker states between fits (where workers start; what the run's end keeps). */
    private final OptimizerStates carry;

    private final WorkerState[] workers;

    RunOptimizerState(
            INDArray modelState,
            boolean sharedState,
            boolean aggregating,
            ParameterStore store,
            OptimizerStates carry,
            WorkerState[] workers) {
        this.modelState = modelState;
        this.sharedState = sharedState;
        this.aggregating = aggregating;
        this.store = store;
        this.carry = carry;
        this.workers = workers;
    }

    /**
     * Where the updater of worker {@code ws} (of {@code m}) starts: under the shared state it views the store's
     * (HOGWILD!, locked) or has its own array the store fills (CAS-published), and the store forms its updates
     * through {@code work}; else the checkpoint's state ({@code resume}), or the carry / network state.
     */
    void start(WorkerState ws, int m, Resume resume, StepWork work) {
        Replica replica = ws.replica;
        int w = ws.id;
        if (sharedState) {
            if (store.sharedState() != null) {
                replica.useUpdaterState(store.sharedState());
            }
            ws.former = work.sharedStep(ws);
        } else if (resume != null && resume.updaterStates[w] != null) {
            INDArray u = replica.updaterState();
            if (u == null || u.length() != resume.updaterStates[w].length()) {
                throw new IllegalStateException("worker " + w + "'s updater state does not fit the checkpoint's");
            }
            u.assign(resume.updaterStates[w]);
        } else if (modelState != null) {
            replica.updaterState().assign(carry.startOf(w, m, modelState)); // read only: workers start at once
        }
    }

    /**
     * At the end of the run (every worker stopped, also after a failure): the network's updater receives the
     * training's state and the per-worker states are kept for the trainer's next fit.
     */
    void writeBack() {
        if (modelState == null) {
            return;
        }
        INDArray[] states = workerStates();
        into(modelState, states);
        if (!sharedState) {
            carry.keep(states, modelState);
        }
    }

    /**
     * Before {@code onEpochEnd} (under the listener lock, workers running): the network's updater shows the state of
     * the moment, so an epoch-based {@code CheckpointListener} saves it. Benign race: a running worker's state is read
     * while it may advance it (a mix of two of its consecutive states); the end of the run writes the exact one.
     */
    void show() {
        if (modelState != null) {
            into(modelState, workerStates());
        }
    }

    /** The training's model-level optimizer state into {@code target}, from the workers' {@code states}. */
    void into(INDArray target, INDArray[] states) {
        if (sharedState) {
            store.copySharedStateTo(target);
        } else {
            OptimizerStates.writeInto(target, states, aggregating ? states[0] : null);
        }
    }

    /** Every started worker's updater state (null: not started, or a stateless updater). */
    INDArray[] workerStates() {
        INDArray[] states = new INDArray[workers.length];
        for (int w = 0; w < workers.length; w++) {
            WorkerState ws = workers[w];
            states[w] = ws == null ? null : ws.replica.updaterState();
        }
        return states;
    }
}
