package org.dl4jasync.examples.cli;

import java.io.PrintStream;
import java.util.Locale;

import org.dl4jasync.metrics.TrainingReport;

/** The human-readable end-of-run summary. */
public final class Summary {
    private Summary() {
    }

    public static void print(TrainingReport r, PrintStream out) {
        out.printf(Locale.ROOT, "  stopped      %s after %d epoch%s%n", r.stopReason.replace('_', ' '),
                r.epochsCompleted, r.epochsCompleted == 1 ? "" : "s");
        out.printf(Locale.ROOT, "  steps        %d accepted, %d rejected, %d dropped (acceptance %.3f)%n",
                r.stepsAccepted, r.stepsRejected, r.stepsDropped, r.acceptanceRate);
        if (r.virtualSeconds != null) {
            out.printf(Locale.ROOT, "  throughput   %.1f steps per virtual second over %.3f virtual s (%.2f virtual "
                    + "worker-seconds)%n", r.stepsPerSecond, r.virtualSeconds, r.workerSeconds);
        } else {
            out.printf(Locale.ROOT, "  throughput   %.1f steps/s over %.2f s (%.2f worker-seconds)%n",
                    r.stepsPerSecond, r.wallSeconds, r.workerSeconds);
        }
        if (r.staleness.mean != null) {
            out.printf(Locale.ROOT, "  staleness    mean %.2f, p50 %d, p99 %d, max %d%n", r.staleness.mean,
                    r.staleness.p50, r.staleness.p99, r.staleness.max);
        } else {
            out.printf("  staleness    not measured for %s%n", r.algorithm);
        }
        if (r.stepScale.mean != null && r.stepSize != null && !"constant".equals(r.stepSize)) {
            out.printf(Locale.ROOT, "  step size    %s: factor mean %.4f, min %.4g, max %.4g, %d zero-scaled%n",
                    r.stepScale.policy, r.stepScale.mean, r.stepScale.min, r.stepScale.max, r.stepScale.zeroScaled);
        }
        if (!r.lossTrace.isEmpty()) {
            out.printf(Locale.ROOT, "  loss         %.4f (last trace point)%n",
                    r.lossTrace.get(r.lossTrace.size() - 1).value);
        }
        if (r.finalAccuracy != null) {
            out.printf(Locale.ROOT, "  accuracy     %.4f on the test set%n", r.finalAccuracy);
        }
        if (r.config.get("target_accuracy") != null) {
            out.printf(Locale.ROOT, "  target       %s%n", r.timeToTargetSeconds == null ? "not reached"
                    : String.format(Locale.ROOT, "reached after %.2f s", r.timeToTargetSeconds));
        }
    }
}
