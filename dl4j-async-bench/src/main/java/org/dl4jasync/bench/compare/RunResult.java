package org.dl4jasync.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What the summary needs of one run's JSON report. Times are on the run's own clock (wall seconds for train,
 * virtual seconds for simulate); a target never reached has time +∞; a value the report does not have is NaN.
 *
 * @param timesToTargets per suite target ({@link Target}), the time it was first reached; +∞ never
 * @param accuracyTrace  [seconds, accuracy] of every evaluation
 * @param lossTrace      [seconds, mean minibatch loss] of every loss-trace point
 * @param shape          what the dispatcher and the controller did (staleness histogram, y and m over time)
 * @param work           the gradients computed, discarded and uploaded
 */
public record RunResult(
        String configuration,
        long seed,
        String algorithm,
        int workers,
        String stopReason,
        long stepsAccepted,
        double stepsPerSecond,
        double acceptance,
        double stalenessMean,
        double stalenessP99,
        double stalenessMax,
        double workerSeconds,
        double seconds,
        double finalAccuracy,
        double bestAccuracy,
        double[] timesToTargets,
        double[][] accuracyTrace,
        double[][] lossTrace,
        Shape shape,
        Work work) {

    /**
     * The work a run did and threw away.
     *
     * @param gradients        minibatch gradients computed (NaN when the report has none: DL4J's loops)
     * @param discarded        steps whose work was never applied: rejected by the dispatcher (or, for ABS, restarted)
     *                         or dropped by the store
     * @param uploads          K-async and ABS: submissions that entered a round (the ABS paper's communication
     *                         count); NaN for the other algorithms
     * @param uploadsToTargets per suite target, the uploads of the rounds closed when it was first reached (exact: each
     *                         closed round took its K submissions, from the report's K trace); +∞ never, NaN for the
     *                         other algorithms
     */
    public record Work(double gradients, double discarded, double uploads, double[] uploadsToTargets) {
        public static final Work NONE = new Work(Double.NaN, Double.NaN, Double.NaN, new double[0]);

        /** Uploads to target {@code k}, NaN when not counted. */
        public double uploadsTo(int k) {
            return k < uploadsToTargets.length ? uploadsToTargets[k] : Double.NaN;
        }
    }

    /**
     * The parts of a report that the figures beyond accuracy and loss need.
     *
     * @param stalenessHistogram [τ, updates] of every τ seen; empty when staleness is not defined (DL4J's loops)
     * @param intervalY          the initial interval size y of Interval-Asynchrony, NaN for other algorithms
     * @param yTrace             [seconds, y] at the start of every interval (the report's [[accepted, y], …] put on
     *                           the time axis through the loss trace's [seconds, accepted] points, linearly between
     *                           them); empty for other algorithms
     * @param mTrace             [seconds, active workers] of elastic parallelism; empty for a constant m
     */
    public record Shape(long[][] stalenessHistogram, double intervalY, double[][] yTrace, double[][] mTrace) {
        public static final Shape NONE = new Shape(new long[0][], Double.NaN, new double[0][], new double[0][]);

        static Shape of(JsonNode r) {
            JsonNode h = r.path("staleness").path("histogram");
            long[][] histogram = new long[h.size()][];
            for (int i = 0; i < histogram.length; i++) {
                histogram[i] =
                        new long[] {h.get(i).get(0).asLong(), h.get(i).get(1).asLong()};
            }
            boolean interval =
                    "interval".equals(r.path("config").path("algorithm").asText())
                            && r.path("interval_trace").isArray();
            double y = interval ? number(r.path("config"), "interval_y") : Double.NaN;
            double[][] clock = stepsAtTime(r.path("loss_trace"));
            JsonNode it = r.path("interval_trace");
            double[][] yTrace = new double[interval ? it.size() : 0][];
            for (int i = 0; i < yTrace.length; i++) {
                yTrace[i] = new double[] {
                    secondsAt(clock, it.get(i).get(0).asDouble()),
                    it.get(i).get(1).asDouble()
                };
            }
            JsonNode pt = r.path("parallelism_trace");
            double[][] mTrace = new double[pt.isArray() ? pt.size() : 0][];
            for (int i = 0; i < mTrace.length; i++) {
                mTrace[i] = new double[] {
                    pt.get(i).get(0).asDouble(), pt.get(i).get(2).asDouble()
                };
            }
            return new Shape(histogram, y, yTrace, mTrace);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The report's JSON tree. */
    public static JsonNode readTree(Path report) throws IOException {
        return JSON.readTree(Files.readString(report));
    }

    /** The first loss-trace point's loss of a report (the reference of loss targets), NaN when it has none. */
    public static double initialLoss(JsonNode report) {
        JsonNode t = report.path("loss_trace");
        return t.size() > 0 && t.get(0).get(2).isNumber() ? t.get(0).get(2).asDouble() : Double.NaN;
    }

    /**
     * @param referenceLoss the loss that loss targets are fractions of (NaN: they are never reached)
     */
    public static RunResult of(
            JsonNode r, String configuration, long seed, List<Target> targets, double referenceLoss) {
        JsonNode tau = r.path("staleness");
        double[][] accuracy = trace(r.path("accuracy_trace"));
        double best = Arrays.stream(accuracy)
                .mapToDouble(p -> p[1])
                .filter(v -> !Double.isNaN(v))
                .max()
                .orElse(Double.NaN);
        double[][] loss = trace(r.path("loss_trace"));
        double[] times = targets.stream()
                .mapToDouble(t -> t.loss() ? timeBelow(loss, t.level() * referenceLoss) : timeTo(accuracy, t.level()))
                .toArray();
        boolean simulated = r.path("virtual_seconds").isNumber();
        double[][] rounds = roundK(r);
        double[] uploadsTo = targets.stream()
                .mapToDouble(t -> rounds.length == 0
                        ? Double.NaN
                        : uploadsThrough(
                                rounds,
                                t.loss()
                                        ? stepsBelow(r.path("loss_trace"), t.level() * referenceLoss)
                                        : stepsAt(r.path("accuracy_trace"), t.level())))
                .toArray();
        return new RunResult(
                configuration,
                seed,
                r.path("algorithm").asText(),
                r.path("workers").asInt(),
                r.path("stop_reason").asText(),
                r.path("steps_accepted").asLong(),
                number(r, "steps_per_second"),
                number(r, "acceptance_rate"),
                number(tau, "mean"),
                number(tau, "p99"),
                number(tau, "max"),
                number(r, "worker_seconds"),
                number(r, simulated ? "virtual_seconds" : "wall_seconds"),
                number(r, "final_accuracy"),
                best,
                times,
                accuracy,
                loss,
                Shape.of(r),
                new Work(
                        number(r, "gradients_computed"),
                        number(r, "steps_rejected") + number(r, "steps_dropped"),
                        number(r, "uploads"),
                        uploadsTo));
    }

    /**
     * [first round, K] from which each K held (K-async, ABS): the report's K trace, or the configured K for all
     * rounds; empty for the other algorithms.
     */
    private static double[][] roundK(JsonNode r) {
        if (!r.path("rounds").isNumber()) {
            return new double[0][];
        }
        JsonNode kt = r.path("k_trace");
        if (kt.isArray() && kt.size() > 0) {
            double[][] out = new double[kt.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = new double[] {
                    kt.get(i).get(1).asDouble(), kt.get(i).get(2).asDouble()
                };
            }
            return out;
        }
        double k = number(r.path("config"), "kasync_k");
        return Double.isNaN(k) ? new double[0][] : new double[][] {{0, k}};
    }

    /** Submissions in rounds 0 … {@code rounds} − 1: each closed round took the K that held for it. */
    static double uploadsThrough(double[][] roundK, double rounds) {
        if (!Double.isFinite(rounds)) {
            return rounds;
        }
        double sum = 0;
        for (int i = 0; i < roundK.length && roundK[i][0] < rounds; i++) {
            double until = i + 1 < roundK.length ? Math.min(roundK[i + 1][0], rounds) : rounds;
            sum += roundK[i][1] * (until - roundK[i][0]);
        }
        return sum;
    }

    /** The applied updates (rounds) at the first accuracy point at or above {@code level}; +∞ when none. */
    private static double stepsAt(JsonNode trace, double level) {
        for (JsonNode p : trace) {
            if (p.get(2).isNumber() && p.get(2).asDouble() >= level) {
                return p.get(1).asDouble();
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** The applied updates at the first loss point at or below {@code level}; +∞ when none. */
    private static double stepsBelow(JsonNode trace, double level) {
        for (JsonNode p : trace) {
            if (p.get(2).isNumber() && p.get(2).asDouble() <= level) {
                return p.get(1).asDouble();
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /**
     * Worker-seconds (∫ m dt) until target {@code k} was reached: along the active workers' trace when the run has
     * one (elastic parallelism), else workers × time; +∞ when it was never reached.
     */
    public double workerSecondsTo(int k) {
        double t = timesToTargets[k];
        double[][] m = shape.mTrace();
        if (!Double.isFinite(t) || m.length == 0) {
            return workers * t;
        }
        double sum = 0;
        for (int i = 0; i < m.length && m[i][0] < t; i++) {
            double until = i + 1 < m.length ? Math.min(m[i + 1][0], t) : t;
            sum += m[i][1] * (until - m[i][0]);
        }
        return sum;
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

    /** Time of the first point at or below {@code level}, +∞ when none (or the level is NaN). */
    private static double timeBelow(double[][] trace, double level) {
        for (double[] p : trace) {
            if (p[1] <= level) {
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

    /** [seconds, accepted steps] of every loss-trace point ([[seconds, steps, loss], …]), starting at [0, 0]. */
    private static double[][] stepsAtTime(JsonNode lossTrace) {
        double[][] out = new double[lossTrace.size() + 1][];
        out[0] = new double[] {0, 0};
        for (int i = 0; i < lossTrace.size(); i++) {
            out[i + 1] = new double[] {
                lossTrace.get(i).get(0).asDouble(), lossTrace.get(i).get(1).asDouble()
            };
        }
        return out;
    }

    /**
     * The time at which {@code steps} updates had been applied: linear between the two points around it, the last
     * point's time beyond the last point (NaN when the trace has no point after the origin).
     */
    static double secondsAt(double[][] clock, double steps) {
        for (int i = 1; i < clock.length; i++) {
            double[] a = clock[i - 1];
            double[] b = clock[i];
            if (steps <= b[1]) {
                return b[1] == a[1] ? b[0] : a[0] + (b[0] - a[0]) * (steps - a[1]) / (b[1] - a[1]);
            }
        }
        return clock.length > 1 ? clock[clock.length - 1][0] : Double.NaN;
    }

    private static double number(JsonNode n, String key) {
        JsonNode v = n.path(key);
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }
}
