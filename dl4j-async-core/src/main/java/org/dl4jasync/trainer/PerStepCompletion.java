package org.dl4jasync.trainer;

import java.util.function.Consumer;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.metrics.AsynchronyNoise;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.parameters.StepScaler;
import org.dl4jasync.parameters.WorkerView;
import org.dl4jasync.stepsize.StepSizePolicy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The completion of an algorithm that applies each accepted step's own update (async, Interval-Asynchrony, bounded
 * staleness, SSP, elastic): the dispatcher's FINISHSTEP decides, the store applies θ ← θ − factor(τ)·update through
 * the worker's view and may still refuse (above the staleness bound) or drop it (CAS-published persistence bound).
 * After an apply, in this order: the dispatcher's afterApply, DL4J listeners, step observers, the run's monitor.
 *
 * <p>Under contention in simulation the engine calls {@link #land} (or {@link #drop}) at the store's turn, a modelled
 * apply time after {@link #accepts}.
 */
final class PerStepCompletion implements Completion {
    private final CompletionHost host;
    private final Dispatcher dispatcher;
    private final ParameterStore store;
    private final StepBudget budget;
    private final ListenerBridge bridge;
    private final StepSizePolicy stepSize;
    /** Null unless the asynchrony noise is measured. */
    private final AsynchronyNoise noise;
    /** The dispatcher's staleness bound ({@link Dispatcher#maxStaleness()}), decided by the store at each apply. */
    private final long staleBound;
    /** Gradients are computed after acceptance (simulation): a step already past the bound is refused at once. */
    private final boolean deferred;
    /** A heavy-ball step-size factor is in the gradient term ({@link Run#scalesGradient}), not in the apply. */
    private final boolean scalesGradient;

    private final boolean sharedState;
    private final Consumer<WorkerState> giveUp = this::giveUp;

    PerStepCompletion(
            CompletionHost host,
            Dispatcher dispatcher,
            ParameterStore store,
            StepBudget budget,
            ListenerBridge bridge,
            StepSizePolicy stepSize,
            AsynchronyNoise noise,
            boolean deferred,
            boolean scalesGradient,
            boolean sharedState) {
        this.host = host;
        this.dispatcher = dispatcher;
        this.store = store;
        this.budget = budget;
        this.bridge = bridge;
        this.stepSize = stepSize;
        this.noise = noise;
        this.staleBound = dispatcher.maxStaleness();
        this.deferred = deferred;
        this.scalesGradient = scalesGradient;
        this.sharedState = sharedState;
    }

    /**
     * FINISHSTEP: whether the dispatcher accepts the step that {@code ws} began. When gradients are deferred
     * (simulation: one thread, the version moves only in event order) a step already staler than the dispatcher's
     * bound is refused here, so its gradient is not computed; the store would reject it anyway, since the version
     * only grows ({@link #land} decides for the steps that pass).
     */
    @Override
    public boolean accepts(WorkerState ws) {
        if (deferred && store.version() - ws.readVersion > staleBound) {
            return false;
        }
        return dispatcher.finishStep(ws.id, ws.ticket);
    }

    @Override
    public void refuse(WorkerState ws) {
        ws.stats.countRejected();
        budget.giveBack();
        host.ended(ws, false, -1, 0);
    }

    /** Applies the accepted update of {@code ws} through its view (the store may refuse or drop it). */
    @Override
    public void land(WorkerState ws) {
        if (host.refuseNonFinite(ws, giveUp)) {
            return;
        }
        INDArray update = ws.replica.gradient();
        // heavy-ball with a step-size rule: the factor is in the gradient term already (per worker), or the store's
        // τ gives it to the formation (shared state); the store itself then applies the update as it is
        StepScaler scaler = !scalesGradient ? ws.scaler : sharedState ? ws.gradientTermScaler : StepScaler.UNIT;
        long tau = ws.view.apply(update, ws.readVersion, staleBound, scaler, ws.former);
        if (tau == WorkerView.DROPPED) {
            drop(ws);
            return;
        }
        if (tau == WorkerView.STALE) { // above the dispatcher's staleness bound: nothing was written
            ws.restoreState(); // a formed update not applied: the state it advanced goes back
            refuse(ws);
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
        host.applied(ws, tau, scale);
        bridge.iterationDone(index, ws, update, multiplier);
        dispatcher.afterApply(ws.id, ws.ticket);
        host.ended(ws, true, tau, scale);
        host.afterApply(ws, index + 1);
    }

    /** The accepted update of {@code ws} was given up by the store (CAS-published persistence bound). */
    void drop(WorkerState ws) {
        ws.restoreState(); // a formed update not applied: the state it advanced goes back
        ws.stats.countDropped();
        giveUp(ws);
        host.ended(ws, false, -1, 0);
    }

    /** What giving up an accepted step takes, as for a {@link #drop}: its permit back, the dispatcher told. */
    private void giveUp(WorkerState ws) {
        budget.giveBack();
        dispatcher.afterApply(ws.id, ws.ticket);
    }
}
