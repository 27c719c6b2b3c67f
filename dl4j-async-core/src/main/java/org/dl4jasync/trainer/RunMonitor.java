package org.dl4jasync.trainer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.dl4jasync.config.EvaluationMode;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.metrics.EvaluationSchedule;
import org.dl4jasync.metrics.StopReason;
import org.dl4jasync.metrics.TracePoint;
import org.dl4jasync.metrics.WorkerStats;
import org.dl4jasync.model.TrainableModel;
import org.dl4jasync.parameters.ParameterStore;

/**
 * The stop conditions and traces that depend on applied updates, written once for both engines: after every applied
 * update the worker that applied it calls {@link #afterApply}, which appends a loss-trace point every
 * {@code lossTraceEvery} updates, evaluates when its {@link EvaluationSchedule} says (every N updates or every D
 * seconds of the run's clock; the accuracy trace; NaN parameters stop
 * the run as {@link StopReason#DIVERGED}, reaching the target as {@link StopReason#TARGET_ACCURACY}) and stops the
 * run at the last permitted update ({@link StopReason#MAX_STEPS}). The end of the data and the time limits are the
 * engines' ({@link ThreadEngine}, {@link VirtualTimeEngine}); everything after the run is {@link ReportAssembler}'s.
 *
 * <p>A trace point or an evaluation is made by the one worker whose update crosses its boundary: it claims the
 * boundary by CAS on {@link #nextLossAt} / {@link #evaluating}, so two never run at once (the schedule's boundaries
 * are written under the {@link #evaluating} claim). The loss trace sums the
 * workers' volatile counters (exact with one worker or in virtual time, otherwise a snapshot of moving counters).
 * An evaluation runs on the claiming worker's thread with its own evaluation network, on a copy of the latest
 * parameters (as DL4J's EvaluativeListener, which evaluates on the training thread). On threads with
 * {@code EvaluationMode.PAUSED} the other workers pause and the run's clock stands still meanwhile
 * ({@link PausingClock}); with {@code CONCURRENT} they go on. Its wall time is summed in {@link #evaluationSeconds}
 * either way (written by the claim holder only).
 * Trace lists are appended under their own lock (once per trace point).
 */
final class RunMonitor {
    private final RunConfig config;
    private final TrainableModel model;
    private final ParameterStore store;
    private final DoubleSupplier clock;
    /** The gate that pauses the workers (threads), or null. */
    private final PausingClock pausing;

    private final StepBudget budget;
    private final Stopper stopper;
    /** The run's checkpoints (threads, with a checkpoint directory), or null. */
    private final Checkpoints checkpoints;
    /** Updates applied before this run (a resumed run's checkpoint's). */
    private final long acceptedBefore;

    private final long lossTraceEvery;
    private final EvaluationSchedule schedule;
    private final boolean timed;
    private final double target;
    /** Protocol: the update count of the next loss-trace point; advanced by CAS by the worker that makes the point. */
    private final AtomicLong nextLossAt;
    /** Guarded by the claim on {@link #nextLossAt} (and used after the run). */
    private final RecentLoss recentLoss;
    /** Protocol: CAS false → true by the one worker evaluating; set false when it is done. */
    private final AtomicBoolean evaluating = new AtomicBoolean();

    final List<TracePoint> lossTrace = Collections.synchronizedList(new ArrayList<>());
    final List<TracePoint> accuracyTrace = Collections.synchronizedList(new ArrayList<>());
    /** Written by the holder of {@link #evaluating} only; read after the run. */
    private volatile long evaluationNanos;
    /** Written once by the worker whose evaluation reached the target; read after the run. */
    private volatile Double timeToTarget;

    /** How the monitor ends the run, and whether it is ending (the run's stop state). */
    interface Stopper {
        void stop(StopReason reason);

        boolean stopping();
    }

    RunMonitor(
            RunConfig config,
            TrainableModel model,
            ParameterStore store,
            DoubleSupplier clock,
            PausingClock pausing,
            StepBudget budget,
            Stopper stopper,
            Checkpoints checkpoints,
            WorkerStats[] stats,
            long acceptedBefore) {
        this.config = config;
        this.model = model;
        this.store = store;
        this.clock = clock;
        this.pausing = pausing;
        this.budget = budget;
        this.stopper = stopper;
        this.checkpoints = checkpoints;
        this.acceptedBefore = acceptedBefore;
        this.lossTraceEvery = config.lossTraceEvery();
        this.schedule = config.evaluationSchedule();
        this.timed = schedule.timed();
        this.target = config.targetAccuracy().orElse(Double.NaN);
        this.nextLossAt = new AtomicLong(lossTraceEvery);
        this.recentLoss = new RecentLoss(stats);
    }

    /** Called by the worker that applied the update making {@code accepted} updates in all. */
    void afterApply(WorkerState ws, long applied) {
        long accepted = acceptedBefore + applied; // over the whole training (a resumed run's included)
        long at = nextLossAt.get();
        if (accepted >= at && nextLossAt.compareAndSet(at, (accepted / lossTraceEvery + 1) * lossTraceEvery)) {
            traceLoss(accepted);
        }
        double now = timed ? clock.getAsDouble() : 0; // the clock only when the schedule is by time
        if (schedule.due(accepted, now) && evaluating.compareAndSet(false, true)) {
            try {
                if (schedule.due(accepted, now)) {
                    schedule.evaluated(accepted, now);
                    evaluate(ws);
                }
            } finally {
                evaluating.set(false);
            }
        }
        Checkpoints c = checkpoints;
        if (c != null) {
            double t = c.timed() ? clock.getAsDouble() : 0;
            if (c.due(accepted, t) && evaluating.compareAndSet(false, true)) { // one pause at a time
                try {
                    c.takeIfDue(accepted, t, this);
                } finally {
                    evaluating.set(false);
                }
            }
        }
        if (budget.exhausted()) {
            stopper.stop(StopReason.MAX_STEPS);
        }
    }

    /** Appends a loss point: the mean minibatch loss of every step computed since the previous point. */
    private void traceLoss(long accepted) {
        traceLoss(accepted, clock.getAsDouble());
    }

    private void traceLoss(long accepted, double seconds) {
        double mean = recentLoss.next();
        if (recentLoss.hadSteps()) {
            lossTrace.add(new TracePoint(seconds, accepted, mean));
        }
    }

    /**
     * At the end of the run ({@code end} on its clock, when the last worker stopped): the last loss point (steps
     * computed since the previous one), stamped at the end, so that every time in the report lies within the run.
     */
    void finalLossPoint(long accepted, double end) {
        long at = nextLossAt.get();
        nextLossAt.set(Long.MAX_VALUE);
        if (at != Long.MAX_VALUE) {
            traceLoss(accepted, end);
        }
    }

    /** Evaluates on {@code ws}'s thread and stops the run when the parameters diverged or reached the target. */
    @SuppressWarnings("NonAtomicVolatileUpdate") // evaluationNanos: single writer, the evaluation claim holder
    private void evaluate(WorkerState ws) {
        if (ws.evaluator == null) {
            ws.evaluator = model.newEvaluator(config.evaluationData().orElseThrow());
        }
        // the gate exists for checkpoints too: an evaluation pauses the others only in EvaluationMode.PAUSED
        PausingClock gate = config.evaluationMode() == EvaluationMode.PAUSED ? pausing : null;
        long start = System.nanoTime();
        TracePoint p;
        if (gate != null) {
            gate.pause(stopper::stopping);
        }
        try {
            p = measure(ws.evaluator);
        } finally {
            if (gate != null) {
                gate.resume();
            }
            evaluationNanos += System.nanoTime() - start; // single writer: the claim holder
        }
        if (p == null) {
            stopper.stop(StopReason.DIVERGED);
        } else if (!Double.isNaN(target) && p.value >= target && timeToTarget == null) {
            timeToTarget = p.seconds;
            stopper.stop(StopReason.TARGET_ACCURACY);
        }
    }

    /**
     * The accuracy of a copy of the latest parameters, appended to the trace at the time and update count of the
     * copy; null when the parameters are not finite (diverged: no point).
     */
    TracePoint measure(TrainableModel.Evaluator evaluator) {
        return measure(evaluator, Double.NaN);
    }

    /**
     * {@link #measure(TrainableModel.Evaluator)} of the final parameters, stamped at the run's {@code end} (NaN:
     * when the copy is taken).
     */
    TracePoint measure(TrainableModel.Evaluator evaluator, double end) {
        double[] at = new double[2];
        double acc = evaluator.accuracy(dest -> {
            at[0] = Double.isNaN(end) ? clock.getAsDouble() : end;
            at[1] = acceptedBefore + store.applied();
            store.copyLatestTo(dest);
        });
        if (Double.isNaN(acc)) {
            return null;
        }
        TracePoint p = new TracePoint(at[0], (long) at[1], acc);
        accuracyTrace.add(p);
        return p;
    }

    /** The traces and schedules as a checkpoint keeps them (with every worker paused between steps). */
    State snapshot() {
        return new State(
                points(lossTrace),
                points(accuracyTrace),
                nextLossAt.get(),
                recentLoss.seen(),
                schedule.state(),
                timeToTarget);
    }

    private static List<double[]> points(List<TracePoint> trace) {
        synchronized (trace) {
            List<double[]> out = new ArrayList<>(trace.size());
            for (TracePoint p : trace) {
                out.add(new double[] {p.seconds, p.steps, p.value});
            }
            return out;
        }
    }

    /** Takes back a {@link #snapshot} before the workers start. */
    void restore(State m) {
        for (double[] p : m.lossTrace()) {
            lossTrace.add(new TracePoint(p[0], (long) p[1], p[2]));
        }
        for (double[] p : m.accuracyTrace()) {
            accuracyTrace.add(new TracePoint(p[0], (long) p[1], p[2]));
        }
        nextLossAt.set(m.nextLossAt());
        recentLoss.seen(m.lossSeen());
        schedule.restore(m.schedule());
        timeToTarget = m.timeToTarget();
    }

    /**
     * The monitor in a checkpoint: the traces ([[seconds, accepted, value], …]), the next loss point, the losses
     * seen per worker, the evaluation schedule's next boundaries and the time the target was reached (or null).
     */
    record State(
            List<double[]> lossTrace,
            List<double[]> accuracyTrace,
            long nextLossAt,
            double[] lossSeen,
            double[] schedule,
            Double timeToTarget) {}

    /** Wall seconds spent in evaluations during the run (the final one after the run not included). */
    double evaluationSeconds() {
        return evaluationNanos / 1e9;
    }

    /** The time the target was reached, or null. */
    Double timeToTarget() {
        return timeToTarget;
    }

    void targetReachedAt(double seconds) {
        if (timeToTarget == null) {
            timeToTarget = seconds;
        }
    }
}
