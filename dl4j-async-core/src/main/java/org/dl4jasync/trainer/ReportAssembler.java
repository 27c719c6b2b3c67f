package org.dl4jasync.trainer;

import java.util.ArrayList;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.metrics.ReportBuilder;
import org.dl4jasync.metrics.StopReason;
import org.dl4jasync.metrics.TracePoint;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.metrics.WorkerStats;
import org.dl4jasync.spec.Choice;

/**
 * The report of a run, written once for both engines: called after every worker has stopped, it ends the epochs,
 * hands the original model its parameters and counts, makes the final loss point and the final evaluation (NaN
 * parameters make the stop reason {@code diverged}, whatever stopped the run), and fills every field from the run's
 * counters and from the parts that own a section (the dispatcher: label and interval trace; the elastic controller:
 * parallelism trace and break-even).
 */
final class ReportAssembler {
    private ReportAssembler() {}

    /**
     * @param end          the run's end on its clock (wall seconds for threads, virtual seconds for the simulator)
     * @param wallSeconds  wall time the run took (threads: with evaluation pauses taken out, as the clock)
     * @param virtual      whether the clock is virtual
     */
    static TrainingReport assemble(Run run, double end, double wallSeconds, boolean virtual) {
        RunConfig config = run.config;
        StopReason reason = run.stopReason();
        run.bridge.finish();
        long version = run.store.applied(); // this run's applied updates
        long accepted = run.acceptedBefore + version; // a resumed run's count goes on from its checkpoint's
        run.bridge.showFinalState(version);
        Resume before = run.resume;

        ReportBuilder r = new ReportBuilder();
        r.config().putAll(config.provenance());
        int epochs = run.source.epochs();
        r.config()
                .put("epochs", epochs == Integer.MAX_VALUE ? null : epochs + (before == null ? 0 : before.epochsDone));
        r.algorithm(Choice.key(config.algorithm())); // the dispatcher and the controller may refine it
        r.store(config.algorithm().asynchronous() ? config.store().key() : null);
        r.stepSize(run.stepSize.name());
        r.workers(run.m);
        WorkerStats[] stats = run.stats;
        double activeSeconds = before == null ? 0 : before.workerSeconds;
        for (int w = 0; w < stats.length; w++) {
            WorkerState ws = run.workers[w];
            activeSeconds += ws == null ? 0 : ws.activeSeconds(end);
            if (!virtual) {
                r.addStepTimeSamples(stats[w].stepTimeSamples());
            }
        }
        r.steps(stats, accepted);
        if (run.model.hasParameters()) {
            long gradients = 0;
            for (WorkerStats s : stats) {
                gradients += s.gradients;
            }
            r.gradientsComputed(gradients);
        }
        if (config.algorithm() == Algorithm.SYNC) {
            r.stepsStarted(accepted); // a sync "step" is a round: m gradients (batches_processed), one update
            r.acceptanceRate(accepted == 0 ? 0 : 1);
        } else if (run.roundBased()) { // accepted counts rounds; a step's fate is its submission's
            long submitted = 0;
            long dropped = 0;
            for (WorkerStats s : stats) {
                submitted += s.applied;
                dropped += s.rejected + s.nonFinite;
            }
            r.acceptanceRate(submitted + dropped == 0 ? 0 : (double) submitted / (submitted + dropped));
        }
        if (run.noise != null) {
            r.ainTrace(run.noise.trace());
        }
        r.stepScalePolicy(run.stepSize.describe(), run.stepSize.normalized());
        r.storeStats(run.store.stats());
        Long cas = run.store.failedCas();
        r.failedCas(cas == null ? null : cas + (before == null ? 0 : before.failedCas));
        r.wallSeconds(wallSeconds);
        // on the run's clock: a simulation's evaluations take no virtual time (and its report stays the same for a
        // seed)
        r.evaluationSeconds(
                virtual ? 0.0 : run.monitor.evaluationSeconds() + (before == null ? 0 : before.evaluationSeconds));
        r.virtualSeconds(virtual ? end : null);
        r.workerSeconds(activeSeconds);
        r.stepsPerSecond(end > 0 ? accepted / end : 0);
        r.epochsCompleted(run.bridge.epochsCompleted() + (before == null ? 0 : before.epochsDone));

        RunMonitor monitor = run.monitor;
        monitor.finalLossPoint(accepted, end); // final points at the run's end: every time within the run
        synchronized (monitor.lossTrace) {
            r.lossTrace(new ArrayList<>(monitor.lossTrace));
        }
        if (config.evaluationData().isPresent()) {
            TracePoint last = finalAccuracy(run, monitor, accepted, end);
            if (last == null) {
                reason = StopReason.DIVERGED; // a diverged model has no accuracy to report
            } else {
                r.finalAccuracy(last.value);
                if (last.value >= config.targetAccuracy().orElse(Double.POSITIVE_INFINITY)) {
                    monitor.targetReachedAt(last.seconds);
                }
            }
        }
        synchronized (monitor.accuracyTrace) {
            r.accuracyTrace(new ArrayList<>(monitor.accuracyTrace));
        }
        r.timeToTargetSeconds(monitor.timeToTarget());
        r.stopReason(reason == null ? StopReason.EPOCHS : reason);
        run.dispatcher.report(r);
        if (run.elastic != null) {
            run.elastic.report(r, end);
        }
        return r.build();
    }

    /**
     * The accuracy of the final parameters: the last trace point when it is at the final count, else measured now
     * (on the calling thread, with an evaluator of its own); null when they diverged.
     */
    private static TracePoint finalAccuracy(Run run, RunMonitor monitor, long accepted, double end) {
        synchronized (monitor.accuracyTrace) {
            int n = monitor.accuracyTrace.size();
            if (n > 0 && monitor.accuracyTrace.get(n - 1).steps == accepted) {
                return monitor.accuracyTrace.get(n - 1);
            }
        }
        return monitor.measure(
                run.model.newEvaluator(run.config.evaluationData().orElseThrow()), end);
    }
}
