package org.dl4jasync.examples.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the summary needs of one run's JSON report. Times are on the run's own clock (wall seconds for train,
 * virtual seconds for simulate); a target never reached has time +∞; a value the report does not have is NaN.
 *
 * @param timesToTargets per suite target, the time of the first evaluation at or above it
 * @param accuracyTrace  [seconds, accuracy] of every evaluation
 * @param lossTrace      [seconds, mean minibatch loss] of every loss-trace point
 */
public record RunResult(String configuration, long seed, String algorithm, int workers, String stopReason,
                        long stepsAccepted, double stepsPerSecond, double acceptance, double stalenessMean,
                        double stalenessP99, double stalenessMax, double workerSeconds, double seconds,
                        double finalAccuracy, double bestAccuracy, double[] timesToTargets,
                        double[][] accuracyTrace, double[][] lossTrace) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static RunResult read(Path report, String configuration, long seed, List<Double> targets)
            throws IOException {
        return of(JSON.readTree(Files.readString(report)), configuration, seed, targets);
    }

    static RunResult of(JsonNode r, String configuration, long seed, List<Double> targets) {
        JsonNode tau = r.path("staleness");
        double[][] accuracy = trace(r.path("accuracy_trace"));
        double best = java.util.Arrays.stream(accuracy).mapToDouble(p -> p[1]).filter(v -> !Double.isNaN(v)).max()
                .orElse(Double.NaN);
        double[] times = targets.stream().mapToDouble(level -> timeTo(accuracy, level)).toArray();
        double[][] loss = trace(r.path("loss_trace"));
        boolean simulated = r.path("virtual_seconds").isNumber();
        return new RunResult(configuration, seed, r.path("algorithm").asText(), r.path("workers").asInt(),
                r.path("stop_reason").asText(), r.path("steps_accepted").asLong(), number(r, "steps_per_second"),
                number(r, "acceptance_rate"), number(tau, "mean"), number(tau, "p99"), number(tau, "max"),
                number(r, "worker_seconds"), number(r, simulated ? "virtual_seconds" : "wall_seconds"),
                number(r, "final_accuracy"), best, times, accuracy, loss);
    }

    /** Time of the first evaluation at or above {@code level}, +∞ when none. */
    public double timeTo(double level) {
        return timeTo(accuracyTrace, level);
    }

    private static double timeTo(double[][] trace, double level) {
        for (double[] p : trace) {
            if (p[1] >= level) {
                return p[0];
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** [seconds, value] pairs of a report trace ([[seconds, steps, value], …]; "NaN" strings read as NaN). */
    private static double[][] trace(JsonNode t) {
        double[][] out = new double[t.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonNode p = t.get(i);
            JsonNode v = p.get(2);
            out[i] = new double[] {p.get(0).asDouble(), v.isNumber() ? v.asDouble() : Double.NaN};
        }
        return out;
    }

    private static double number(JsonNode n, String key) {
        JsonNode v = n.path(key);
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }
}
