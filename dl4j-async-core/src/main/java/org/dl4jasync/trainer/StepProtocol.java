package org.dl4jasync.trainer;

import java.util.function.Consumer;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.metrics.StepListener;
import org.dl4jasync.metrics.StopReason;
import org.dl4jasync.parameters.WorkerView;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * <b>The step protocol</b> over a {@link Run}'s parts, written once for both engines (Interval-Asynchrony paper,
 * Algorithm 1); the hot path:
 *
 * <pre>
 * begin(w):    permit → i = TRYSTARTSTEP(w) → batch = GETBATCH(i) → v = read θ → gradient → release θ
 * finish(w):   Completion.accepts(w)  — FINISHSTEP: the dispatcher accepts or rejects; a round takes every step
 * land(w):     update formed → θ ← θ − factor(τ)·update, or into the open round   — else refuse(w)
 * </pre>
 *
 * The thread engine ({@link ThreadEngine}) calls {@link #begin} and {@link #complete} back to back on each worker
 * thread and parks a worker that must wait; the virtual-time engine ({@link VirtualTimeEngine}) calls {@code begin}
 * at a step's start event and the {@link Completion}'s calls at its finish (or apply) event, the gradient computed
 * between them by its {@link GradientPool} only for a step that is accepted or contributes. Only the clock, waiting
 * and the modelled apply time differ between them.
 *
 * <p>It is also the {@link CompletionHost}: the bookkeeping of a step's end that every completion shares.
 *
 * <p>Shared-field protocol: {@link #dataEnded} is set once a ticket was past the data (volatile, never reset), read
 * by waiting workers.
 */
final class StepProtocol implements CompletionHost {
    private final Run run;
    private volatile boolean dataEnded;

    /** Made in {@code run}'s constructor: it reads the run's parts only when a step runs. */
    StepProtocol(Run run) {
        this.run = run;
    }

    /**
     * Starts a step of {@code ws}: {@link Run#STARTED} (its update, or for sync its gradient, is ready; deferred: the
     * parameters it reads are copied), {@link Run#WAIT} (may not start now: wait until {@link #mayProceed}), or
     * {@link Run#END} (this worker is done).
     */
    int begin(WorkerState ws) throws InterruptedException {
        if (run.stopping()) {
            return Run.END;
        }
        final int w = ws.id;
        if (!run.dispatcher.mayStart(w)) {
            // a worker held back by the active bound has nothing left to wait for once the data ended
            return dataEnded && !run.dispatcher.active().allows(w) ? Run.END : Run.WAIT;
        }
        // a step takes a permit of its own; a round applies one update for many steps (the round's close counts it)
        if (!run.roundBased() && !run.budget.tryAcquire()) {
            return run.budget.exhausted() ? Run.END : Run.WAIT;
        }
        long ticket = run.dispatcher.tryStartStep(w);
        if (ticket == Dispatcher.NOT_NOW) {
            givePermitBack();
            return Run.WAIT;
        }
        if (run.stopping()) { // the run stopped meanwhile (e.g. the sync round just closed was the last)
            givePermitBack();
            return Run.END;
        }
        MultiDataSet ds;
        try {
            ds = run.source.batch(ticket);
        } catch (RuntimeException | InterruptedException e) {
            run.source.done(ticket);
            throw e;
        }
        if (ds == null) { // past the last epoch: so is every later ticket
            run.source.done(ticket);
            givePermitBack();
            run.dispatcher.workerLeft(w);
            dataEnded = true;
            run.waiters.signal();
            return Run.END;
        }
        ws.stats.countStarted();
        ws.ticket = ticket;
        ws.batch = ds;
        ws.lastBatch = ds;
        ws.batchSize = Batches.size(ds);
        ws.epochAtRead = run.bridge.currentEpoch();
        if (ws.localDone == 0) { // a local step after the first goes on from the worker's own copy: no read
            final WorkerView view = ws.view;
            ws.readVersion = view.read();
            boolean keepOpen = false;
            try {
                if (ws.ownParams) {
                    if (run.recordLoss) { // a model with parameters (scheduling only: nothing to copy)
                        ws.replica.params().assign(view.replica().params()); // the parameters of this instant
                    }
                } else {
                    run.work.gradient(ws);
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
                    run.work.batchDone(ws);
                }
            }
        }
        if (ws.ownParams && !run.deferred) { // local SGD on threads: computed on the copy, outside the read
            try {
                run.work.gradient(ws);
                run.work.toUpdate(ws);
            } finally {
                run.work.batchDone(ws);
            }
        }
        return Run.STARTED;
    }

    private void givePermitBack() {
        if (!run.roundBased()) {
            run.budget.giveBack();
        }
    }

    /** True when a waiting worker should call {@link #begin} again. */
    boolean mayProceed(int w) {
        return run.stopping() || dataEnded || (run.dispatcher.mayStart(w) && run.budget.available());
    }

    /**
     * The finish of a step on threads, in one call: FINISHSTEP, then the accepted step's update is formed (as the
     * authors' code does: a rejected step's gradient never enters the worker's optimizer state) and it lands, or the
     * step is refused; the read {@link #begin} left open is released at the end.
     */
    void complete(WorkerState ws) {
        try {
            if (run.completion.accepts(ws)) {
                if (!ws.ownParams) { // local SGD formed its update in begin
                    run.work.toUpdate(ws);
                }
                run.completion.land(ws);
            } else {
                run.work.countRefused(ws); // computed, never formed into an update
                run.completion.refuse(ws);
            }
        } finally {
            if (ws.readOpen) {
                ws.readOpen = false;
                ws.view.release();
            }
        }
    }

    // ---- what every completion shares (CompletionHost)

    @Override
    public WorkerState worker(int w) {
        return run.workers[w];
    }

    @Override
    public boolean ending() {
        return run.stopping() || run.budget.exhausted();
    }

    @Override
    public void signalWaiters() {
        run.waiters.signal();
    }

    /**
     * Handles a non-finite step by the run's {@link org.dl4jasync.config.NonFinitePolicy}: it throws
     * {@link NonFiniteUpdateException} (fail), or counts the step and ends its fate as not applied (skip), and also
     * stops the run as diverged (stop).
     */
    @Override
    public boolean refuseNonFinite(WorkerState ws, Consumer<WorkerState> givesUp) {
        if (!ws.nonFinite) {
            return false;
        }
        ws.nonFinite = false;
        long tau = run.aggregating() ? 0 : run.store.version() - ws.readVersion;
        switch (run.config.nonFinitePolicy()) {
            case FAIL:
                throw new NonFiniteUpdateException(
                        ws.id, ws.ticket, ws.readVersion, tau, ws.loss, Double.isFinite(ws.loss));
            case STOP:
                run.stop(StopReason.DIVERGED);
                break;
            default:
                break;
        }
        ws.stats.countNonFinite();
        ws.restoreState(); // a formed update not applied: the state it advanced goes back
        givesUp.accept(ws);
        ended(ws, false, -1, 0);
        return true;
    }

    @Override
    public void applied(WorkerState ws, long tau, double scale) {
        ws.stats.recordApplied(tau, scale);
        run.budget.applied();
    }

    @Override
    public void submitted(WorkerState ws, long tau, double scale) {
        ws.stats.recordApplied(tau, scale);
        run.stepSize.observe(tau);
    }

    @Override
    public void roundCounted() {
        run.budget.applied();
    }

    @Override
    public void ended(WorkerState ws, boolean applied, long tau, double scale) {
        StepListener[] o = run.observers;
        for (int k = 0; k < o.length; k++) {
            o[k].onStep(ws.id, ws.ticket, applied, tau, scale, ws.loss);
        }
        run.bridge.stepFinished();
    }

    @Override
    public void discard(WorkerState ws) {
        ws.stats.countRejected();
        ws.resetLocal();
        ended(ws, false, -1, 0);
    }

    @Override
    public void afterApply(WorkerState ws, long version) {
        run.monitor.afterApply(ws, version);
    }
}
