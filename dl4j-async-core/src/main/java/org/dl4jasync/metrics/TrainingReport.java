package org.dl4jasync.metrics;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What a training run did, in the form of the {@code train --json} report (snake_case keys). Filled by the
 * trainer; {@link #config} is filled by whoever ran it (the CLI puts every option's value there).
 */
@JsonPropertyOrder({"config", "algorithm", "store", "step_size", "workers", "stop_reason", "steps_started",
        "steps_accepted", "steps_rejected", "steps_dropped", "acceptance_rate", "staleness", "step_scale",
        "wall_seconds", "worker_seconds", "steps_per_second", "batches_processed", "epochs_completed", "failed_cas",
        "interval_trace", "intervals_completed", "parallelism_trace", "break_even", "ain_trace",
        "loss_trace", "accuracy_trace", "final_accuracy", "time_to_target_seconds", "virtual_seconds",
        "step_time_samples"})
public final class TrainingReport {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public Map<String, Object> config = new LinkedHashMap<>();
    public String algorithm;
    /** Store semantics, or null when the algorithm has none (DL4J's ParallelWrapper). */
    public String store;
    public String stepSize;
    public int workers;
    /** Why the run ended: epochs, max_steps, time_limit, target_accuracy. */
    public String stopReason;
    public long stepsStarted;
    public long stepsAccepted;
    /** Gradients the dispatcher rejected (never applied). */
    public long stepsRejected;
    /** Accepted gradients the store dropped (CAS-published persistence bound). Acceptance rate is
     *  accepted / (accepted + rejected + dropped): the fate of every finished step. */
    public long stepsDropped;
    public double acceptanceRate;
    public Staleness staleness = new Staleness();
    public StepScale stepScale = new StepScale();
    public double wallSeconds;
    public double workerSeconds;
    public double stepsPerSecond;
    /** Minibatch gradients computed (for sync: m per applied update). */
    public long batchesProcessed;
    public int epochsCompleted;
    /** Interval-Asynchrony only: [[accepted_steps, y], …] at the start of every interval. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public List<long[]> intervalTrace;
    /** Interval-Asynchrony only: intervals ended. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public Long intervalsCompleted;
    /** Elastic parallelism only: [[seconds, accepted_steps, m], …] at the start of every probed level and execution phase. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public List<Number[]> parallelismTrace;
    /** Elastic parallelism with a comparison baseline of constant m (ElAsyncSGD, Section D.6). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public BreakEven breakEven;
    /** {@code --measure-ain} only: [[seconds, accepted_steps, ‖ξ‖], …] (asynchrony-induced noise, Definition D.4.2). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public List<TracePoint> ainTrace;
    /** CAS-published store only: failed CAS attempts (contention); absent for the other stores. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public Long failedCas;
    public List<TracePoint> lossTrace = new ArrayList<>();
    public List<TracePoint> accuracyTrace = new ArrayList<>();
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public Double finalAccuracy;
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public Double timeToTargetSeconds;
    /** Simulated runs only: virtual time the run covered (the time base of the traces); absent for real runs. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public Double virtualSeconds;
    /**
     * Real runs: per worker, a uniform sample (up to 512) of step compute times in seconds, from which the
     * simulator's {@code measured:FILE} step times are drawn. Empty for simulated runs.
     */
    public List<double[]> stepTimeSamples = new ArrayList<>();

    /** Staleness of every applied update. */
    @JsonPropertyOrder({"histogram", "mean", "p50", "p99", "max"})
    public static final class Staleness {
        /** [[τ, count], …] over all applied updates, exact; empty when the algorithm does not measure τ. */
        public List<long[]> histogram = new ArrayList<>();
        public Double mean;
        public Long p50;
        public Long p99;
        public Long max;

        public void fill(StalenessHistogram h) {
            histogram = h.entries();
            if (h.total() > 0) {
                mean = h.mean();
                p50 = h.quantile(0.5);
                p99 = h.quantile(0.99);
                max = h.max();
            }
        }
    }

    /** Worker-seconds of the elastic run against a constant-m baseline. */
    @JsonPropertyOrder({"baseline_workers", "seconds", "elastic_worker_seconds", "baseline_worker_seconds"})
    public static final class BreakEven {
        public int baselineWorkers;
        /**
         * The time from which on the elastic run has used no more worker-seconds (∫ m(t) dt over its parallelism
         * trace) than the baseline's m·t; null when it does not break even within the run.
         */
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public Double seconds;
        /** ∫ m(t) dt over the run. */
        public double elasticWorkerSeconds;
        /** m·T over the run's duration T. */
        public double baselineWorkerSeconds;

        /**
         * From a parallelism trace [[seconds, accepted, m], …] (first point at the start) and the run's end time.
         */
        public static BreakEven of(List<Number[]> trace, double end, int baselineWorkers) {
            BreakEven b = new BreakEven();
            b.baselineWorkers = baselineWorkers;
            double used = 0; // ∫ m dt so far
            Double since = 0.0; // the time from which on used ≤ M·t, or null while used > M·t
            for (int k = 0; k < trace.size(); k++) {
                double a = trace.get(k)[0].doubleValue();
                double z = k + 1 < trace.size() ? trace.get(k + 1)[0].doubleValue() : end;
                int m = trace.get(k)[2].intValue();
                if (z <= a) {
                    continue;
                }
                double da = used - baselineWorkers * a; // D(t) = used(t) − M·t, linear on [a, z] with slope m − M
                double dz = da + (m - baselineWorkers) * (z - a);
                if (dz > 0) {
                    since = null;
                } else if (da > 0 || since == null) {
                    since = da > 0 ? a + da / (baselineWorkers - m) : a;
                }
                used += m * (z - a);
            }
            b.seconds = since;
            b.elasticWorkerSeconds = used;
            b.baselineWorkerSeconds = baselineWorkers * end;
            return b;
        }
    }

    /** Step-size factor over applied updates. */
    @JsonPropertyOrder({"policy", "normalized", "mean", "min", "max", "zero_scaled", "by_staleness"})
    public static final class StepScale {
        /** The step-size policy with its parameters. */
        public String policy;
        /** Whether the factors have mean 1 over the observed staleness (by construction or by --normalize). */
        public boolean normalized;
        public Double mean;
        public Double min;
        public Double max;
        /** Applied updates with factor 0 (dropped by the rule, e.g. MindTheStep above τ = 150). */
        public long zeroScaled;
        /** [[τ, mean factor applied at τ], …] for every τ that occurred: the curve of the paper's Figures C.4–C.5. */
        public List<double[]> byStaleness = new ArrayList<>();
    }

    /**
     * Fills the step counts, acceptance rate, staleness and step-scale sections from the workers' counters (after
     * the workers have stopped). {@code accepted} is the number of applied updates (the store's version).
     */
    public void fillSteps(WorkerStats[] stats, long accepted) {
        StalenessHistogram all = new StalenessHistogram();
        long started = 0;
        long rejected = 0;
        long dropped = 0;
        double scaleSum = 0;
        double scaleMin = Double.POSITIVE_INFINITY;
        double scaleMax = Double.NEGATIVE_INFINITY;
        long zeroScaled = 0;
        for (WorkerStats s : stats) {
            zeroScaled += s.zeroScaled;
            all.merge(s.staleness);
            started += s.started;
            rejected += s.rejected;
            dropped += s.dropped;
            scaleSum += s.scaleSum;
            scaleMin = Math.min(scaleMin, s.scaleMin);
            scaleMax = Math.max(scaleMax, s.scaleMax);
        }
        stepsStarted = started;
        batchesProcessed = started;
        stepsAccepted = accepted;
        stepsRejected = rejected;
        stepsDropped = dropped;
        long fates = accepted + rejected + dropped; // steps in flight when a simulation stops have no fate yet
        acceptanceRate = fates == 0 ? 0 : (double) accepted / fates;
        staleness.fill(all);
        if (all.total() > 0) {
            stepScale.mean = scaleSum / all.total();
            stepScale.min = scaleMin;
            stepScale.max = scaleMax;
            stepScale.zeroScaled = zeroScaled;
            stepScale.byStaleness = new ArrayList<>();
            for (long tau = 0; tau <= all.max(); tau++) {
                long n = all.count(tau);
                if (n > 0) {
                    double sum = 0;
                    for (WorkerStats s : stats) {
                        sum += s.scaleSumAt(tau);
                    }
                    stepScale.byStaleness.add(new double[] {tau, sum / n});
                }
            }
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException("report not serialisable", e);
        }
    }

    public void writeJson(Path file) throws IOException {
        Files.writeString(file, toJson() + System.lineSeparator(), StandardCharsets.UTF_8);
    }

    /** The loss and accuracy traces as CSV: {@code trace,seconds,accepted_steps,value}. */
    public void writeCsv(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("trace,seconds,accepted_steps,value\n");
            for (TracePoint p : lossTrace) {
                w.write(String.format(Locale.ROOT, "loss,%.6f,%d,%.8g%n", p.seconds, p.steps, p.value));
            }
            for (TracePoint p : accuracyTrace) {
                w.write(String.format(Locale.ROOT, "accuracy,%.6f,%d,%.8g%n", p.seconds, p.steps, p.value));
            }
        }
    }

    /** Parses a report written by {@link #toJson()} as a generic tree (for tests and tooling). */
    public static Map<?, ?> parse(String json) throws IOException {
        return JSON.readValue(json, Map.class);
    }
}
