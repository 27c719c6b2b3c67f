package org.dl4jasync.examples.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.dl4jasync.metrics.TracePoint;
import org.dl4jasync.metrics.TrainingReport;

/** The human-readable end-of-run summary. */
public final class Summary {
    private Summary() {}

    public static void print(TrainingReport r, PrintStream out) {
        out.printf(
                Locale.ROOT,
                "  stopped      %s after %d epoch%s%n",
                r.stopReason().key().replace('_', ' '),
                r.epochsCompleted(),
                r.epochsCompleted() == 1 ? "" : "s");
        out.printf(
                Locale.ROOT,
                "  steps        %d accepted, %d rejected, %d dropped (acceptance %.3f)%n",
                r.stepsAccepted(),
                r.stepsRejected(),
                r.stepsDropped(),
                r.acceptanceRate());
        if (r.virtualSeconds() != null) {
            out.printf(
                    Locale.ROOT,
                    "  throughput   %.1f steps per virtual second over %.3f virtual s (%.2f virtual "
                            + "worker-seconds)%n",
                    r.stepsPerSecond(),
                    r.virtualSeconds(),
                    r.workerSeconds());
        } else {
            out.printf(
                    Locale.ROOT,
                    "  throughput   %.1f steps/s over %.2f s (%.2f worker-seconds)%n",
                    r.stepsPerSecond(),
                    r.wallSeconds(),
                    r.workerSeconds());
        }
        if (r.staleness().mean() != null) {
            out.printf(
                    Locale.ROOT,
                    "  staleness    mean %.2f, p50 %d, p99 %d, max %d%n",
                    r.staleness().mean(),
                    r.staleness().p50(),
                    r.staleness().p99(),
                    r.staleness().max());
        } else {
            out.printf("  staleness    not measured for %s%n", r.algorithm());
        }
        if (r.stepScale().mean() != null && r.stepSize() != null && !"constant".equals(r.stepSize())) {
            out.printf(
                    Locale.ROOT,
                    "  step size    %s: factor mean %.4f, min %.4g, max %.4g, %d zero-scaled%n",
                    r.stepScale().policy(),
                    r.stepScale().mean(),
                    r.stepScale().min(),
                    r.stepScale().max(),
                    r.stepScale().zeroScaled());
        }
        if (r.parallelismTrace() != null && !r.parallelismTrace().isEmpty()) {
            out.printf(
                    Locale.ROOT,
                    "  parallelism  elastic: %d active workers at the start, %d at the end (%d phases)%n",
                    r.parallelismTrace().get(0)[2].intValue(),
                    r.parallelismTrace().get(r.parallelismTrace().size() - 1)[2].intValue(),
                    r.parallelismTrace().size());
        }
        if (r.breakEven() != null) {
            out.printf(
                    Locale.ROOT,
                    "  break-even   against %d constant workers: %s (%.1f vs %.1f worker-seconds)%n",
                    r.breakEven().baselineWorkers(),
                    r.breakEven().seconds() == null
                            ? "not within the run"
                            : String.format(
                                    Locale.ROOT, "from %.2f s on", r.breakEven().seconds()),
                    r.breakEven().elasticWorkerSeconds(),
                    r.breakEven().baselineWorkerSeconds());
        }
        if (r.ainTrace() != null && !r.ainTrace().isEmpty()) {
            double sum = 0;
            for (TracePoint p : r.ainTrace()) {
                sum += p.value;
            }
            out.printf(
                    Locale.ROOT,
                    "  async noise  mean ‖ξ‖ %.4g over %d trace points%n",
                    sum / r.ainTrace().size(),
                    r.ainTrace().size());
        }
        if (!r.lossTrace().isEmpty()) {
            out.printf(
                    Locale.ROOT,
                    "  loss         %.4f (last trace point)%n",
                    r.lossTrace().get(r.lossTrace().size() - 1).value);
        }
        if (r.finalAccuracy() != null) {
            out.printf(Locale.ROOT, "  accuracy     %.4f on the test set%n", r.finalAccuracy());
        }
        if (r.checkpoints() != null) {
            Map<String, Object> c = r.checkpoints();
            out.printf(
                    Locale.ROOT,
                    "  checkpoints  %s written, %s failed, %s skipped; last %s%n",
                    c.get("written"),
                    c.get("failed"),
                    c.get("skipped"),
                    c.get("last") == null ? "none" : c.get("last"));
        }
        if (r.config().get("target_accuracy") != null) {
            out.printf(
                    Locale.ROOT,
                    "  target       %s%n",
                    r.timeToTargetSeconds() == null
                            ? "not reached"
                            : String.format(Locale.ROOT, "reached after %.2f s", r.timeToTargetSeconds()));
        }
    }
}
