package org.dl4jasync.metrics;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a training run did, in the form of the {@code train --json} report (snake_case keys). Filled by the
 * trainer; {@link #config} is filled by whoever ran it (the CLI puts every option's value there).
 */
@JsonPropertyOrder({
    "config",
    "algorithm",
    "store",
    "step_size",
    "workers",
    "stop_reason",
    "steps_started",
    "steps_accepted",
    "steps_rejected",
    "steps_dropped",
    "steps_non_finite",
    "acceptance_rate",
    "staleness",
    "step_scale",
    "wall_seconds",
    "evaluation_seconds",
    "worker_seconds",
    "steps_per_second",
    "batches_processed",
    "gradients_computed",
    "epochs_completed",
    "failed_cas",
    "interval_trace",
    "intervals_completed",
    "rounds",
    "uploads",
    "restarts",
    "k_trace",
    "s_trace",
    "clock_spread_max",
    "parallelism_trace",
    "break_even",
    "ain_trace",
    "loss_trace",
    "accuracy_trace",
    "final_accuracy",
    "time_to_target_seconds",
    "virtual_seconds",
    "checkpoints",
    "step_time_samples"
})
public final class TrainingReport implements Cloneable {

    /** Serialises the (private) fields, so the JSON keys are the fields' names in snake case. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private Map<String, Object> config = new LinkedHashMap<>();
    private String algorithm;
    /** Store semantics, or null when the algorithm has none (DL4J's ParallelWrapper). */
    private String store;

    private String stepSize;
    private int workers;
    /** Why the run ended: epochs, max_steps, time_limit, target_accuracy. */
    private StopReason stopReason;

    private long stepsStarted;
    private long stepsAccepted;
    /** Gradients the dispatcher rejected (never applied). */
    private long stepsRejected;
    /** Accepted gradients the store dropped (CAS-published persistence bound). Acceptance rate is
     *  accepted / (accepted + rejected + dropped + non-finite): the fate of every finished step. */
    private long stepsDropped;
    /** Steps whose loss or update was NaN or infinite, never applied (on_non_finite skip; stop: the one that ended
     *  the run). A fate of its own in the acceptance rate's denominator. */
    private long stepsNonFinite;

    private double acceptanceRate;
    private StalenessSection staleness = new StalenessSection();
    private StepScaleSection stepScale = new StepScaleSection();
    /** Training time: on threads, wall time with evaluation pauses taken out (eval_mode paused, DL4J baselines). */
    private double wallSeconds;
    /** Wall seconds spent in evaluations during the run: outside wall_seconds when they paused training, inside it
     *  when they ran concurrently (eval_mode concurrent). Null in simulation (evaluation takes no virtual time). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private Double evaluationSeconds;

    private double workerSeconds;
    private double stepsPerSecond;
    /** Minibatch gradients computed (for sync: m per applied update). */
    private long batchesProcessed;
    /** Minibatch gradients computed: on threads every started step's; in simulation only those of steps that applied
     *  or contributed (a rejected step's gradient is skipped). Null without a model. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private Long gradientsComputed;

    private int epochsCompleted;
    /** Interval-Asynchrony only: [[accepted_steps, y], …] at the start of every interval. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private List<long[]> intervalTrace;
    /** Interval-Asynchrony only: intervals ended. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private Long intervalsCompleted;
    /** The bounded-staleness family's fields (top level in the JSON, each only where it applies). */
    @JsonUnwrapped
    private BoundedStalenessSection boundedStaleness = new BoundedStalenessSection();
    /** Elastic parallelism only: [[seconds, accepted_steps, m], …] at the start of every probed level and execution phase. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private List<Number[]> parallelismTrace;
    /** Elastic parallelism with a comparison baseline of constant m (ElAsyncSGD, Section D.6). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private BreakEven breakEven;
    /** {@code --measure-ain} only: [[seconds, accepted_steps, ‖ξ‖], …] (asynchrony-induced noise, Definition D.4.2). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private List<TracePoint> ainTrace;
    /** CAS-published store only: failed CAS attempts (contention); absent for the other stores. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private Long failedCas;

    private List<TracePoint> lossTrace = new ArrayList<>();
    private List<TracePoint> accuracyTrace = new ArrayList<>();

    @JsonInclude(JsonInclude.Include.ALWAYS)
    private Double finalAccuracy;

    @JsonInclude(JsonInclude.Include.ALWAYS)
    private Double timeToTargetSeconds;
    /** Simulated runs only: virtual time the run covered (the time base of the traces); absent for real runs. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private Double virtualSeconds;
    /** The run's checkpoints: {@code written}, {@code failed}, {@code skipped} (due while one was being written),
     *  {@code last} (the newest file), {@code final_written} (the end state's), {@code last_error} (of the newest
     *  failed write, or null); null when none were asked for. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private Map<String, Object> checkpoints;
    /**
     * Real runs: per worker, a uniform sample (up to 512) of step compute times in seconds, from which the
     * simulator's {@code measured:FILE} step times are drawn. Empty for simulated runs.
     */
    private List<double[]> stepTimeSamples = new ArrayList<>();

    private TrainingReport() {}

    /** A copy of this report whose {@code config} is {@code config} (e.g. with the caller's own settings added). */
    public TrainingReport withConfig(Map<String, Object> config) {
        TrainingReport c = copy();
        c.config = new LinkedHashMap<>(config);
        return c;
    }

    /** A copy with the {@code checkpoints} section (the thread engine's, after the final checkpoint). */
    public TrainingReport withCheckpoints(Map<String, Object> section) {
        TrainingReport c = copy();
        c.checkpoints = new LinkedHashMap<>(section);
        return c;
    }

    private TrainingReport copy() {
        try {
            return (TrainingReport) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Fills a report: the engine's report assembler, and the parts of a run that own a section (a dispatcher's
     * label and interval trace, the elastic controller's parallelism trace and break-even, a policy's settings).
     * {@link #build()} hands the report over; the builder is not used afterwards.
     */
    public static final class Builder {
        private TrainingReport r = new TrainingReport();

        /** The report's {@code config}, for the parts that record a setting of theirs. */
        public Map<String, Object> config() {
            return r.config;
        }

        /** The algorithm label so far (a dispatcher or controller may refine it). */
        public String algorithm() {
            return r.algorithm;
        }

        /**
         * The step counts, acceptance rate, staleness and step-scale sections from the workers' counters (after the
         * workers have stopped); {@code accepted} is the number of applied updates (the store's version).
         */
        public Builder steps(WorkerStats[] stats, long accepted) {
            r.fillSteps(stats, accepted);
            return this;
        }

        /** The step-size policy with its parameters, and whether its factors have mean 1. */
        public Builder stepScalePolicy(String policy, boolean normalized) {
            r.stepScale.policy = policy;
            r.stepScale.normalized = normalized;
            return this;
        }

        /** One worker's sample of step compute times (real runs). */
        public Builder addStepTimeSamples(double[] samples) {
            r.stepTimeSamples.add(samples);
            return this;
        }

        public Builder algorithm(String value) {
            r.algorithm = value;
            return this;
        }

        public Builder store(String value) {
            r.store = value;
            return this;
        }

        public Builder stepSize(String value) {
            r.stepSize = value;
            return this;
        }

        public Builder workers(int value) {
            r.workers = value;
            return this;
        }

        public Builder stopReason(StopReason value) {
            r.stopReason = value;
            return this;
        }

        public Builder stepsStarted(long value) {
            r.stepsStarted = value;
            return this;
        }

        public Builder stepsAccepted(long value) {
            r.stepsAccepted = value;
            return this;
        }

        public Builder acceptanceRate(double value) {
            r.acceptanceRate = value;
            return this;
        }

        public Builder wallSeconds(double value) {
            r.wallSeconds = value;
            return this;
        }

        public Builder evaluationSeconds(Double value) {
            r.evaluationSeconds = value;
            return this;
        }

        public Builder workerSeconds(double value) {
            r.workerSeconds = value;
            return this;
        }

        public Builder stepsPerSecond(double value) {
            r.stepsPerSecond = value;
            return this;
        }

        public Builder gradientsComputed(Long value) {
            r.gradientsComputed = value;
            return this;
        }

        public Builder batchesProcessed(long value) {
            r.batchesProcessed = value;
            return this;
        }

        public Builder epochsCompleted(int value) {
            r.epochsCompleted = value;
            return this;
        }

        public Builder intervalTrace(List<long[]> value) {
            r.intervalTrace = value;
            return this;
        }

        public Builder intervalsCompleted(Long value) {
            r.intervalsCompleted = value;
            return this;
        }

        /** K-async, ABS: rounds closed (each one applied update). */
        public Builder rounds(long value) {
            r.boundedStaleness.rounds = value;
            return this;
        }

        /** K-async, ABS: submissions that entered a round. */
        public Builder uploads(long value) {
            r.boundedStaleness.uploads = value;
            return this;
        }

        /** ABS: forced restarts. */
        public Builder restarts(long value) {
            r.boundedStaleness.restarts = value;
            return this;
        }

        /** Adaptive K: [[seconds, rounds, K], …]. */
        public Builder kTrace(List<Number[]> value) {
            r.boundedStaleness.kTrace = value;
            return this;
        }

        /** ABS: [[seconds, rounds, S], …]. */
        public Builder sTrace(List<Number[]> value) {
            r.boundedStaleness.sTrace = value;
            return this;
        }

        /** SSP: the largest clock spread seen at a step's start. */
        public Builder clockSpreadMax(long value) {
            r.boundedStaleness.clockSpreadMax = value;
            return this;
        }

        public Builder parallelismTrace(List<Number[]> value) {
            r.parallelismTrace = value;
            return this;
        }

        public Builder breakEven(BreakEven value) {
            r.breakEven = value;
            return this;
        }

        public Builder ainTrace(List<TracePoint> value) {
            r.ainTrace = value;
            return this;
        }

        public Builder failedCas(Long value) {
            r.failedCas = value;
            return this;
        }

        public Builder lossTrace(List<TracePoint> value) {
            r.lossTrace = value;
            return this;
        }

        public Builder accuracyTrace(List<TracePoint> value) {
            r.accuracyTrace = value;
            return this;
        }

        public Builder finalAccuracy(Double value) {
            r.finalAccuracy = value;
            return this;
        }

        public Builder timeToTargetSeconds(Double value) {
            r.timeToTargetSeconds = value;
            return this;
        }

        public Builder virtualSeconds(Double value) {
            r.virtualSeconds = value;
            return this;
        }

        public Builder checkpoints(Map<String, Object> value) {
            r.checkpoints = value;
            return this;
        }

        public TrainingReport build() {
            TrainingReport out = r;
            r = null;
            return out;
        }
    }

    // ---- the report, read-only (a Builder fills it)

    public Map<String, Object> config() {
        return Collections.unmodifiableMap(config);
    }

    public StalenessSection staleness() {
        return staleness;
    }

    public StepScaleSection stepScale() {
        return stepScale;
    }

    public List<TracePoint> lossTrace() {
        return lossTrace == null ? null : Collections.unmodifiableList(lossTrace);
    }

    public List<TracePoint> accuracyTrace() {
        return accuracyTrace == null ? null : Collections.unmodifiableList(accuracyTrace);
    }

    public List<double[]> stepTimeSamples() {
        return stepTimeSamples == null ? null : Collections.unmodifiableList(stepTimeSamples);
    }

    public String algorithm() {
        return algorithm;
    }

    public String store() {
        return store;
    }

    public String stepSize() {
        return stepSize;
    }

    public int workers() {
        return workers;
    }

    public StopReason stopReason() {
        return stopReason;
    }

    public long stepsStarted() {
        return stepsStarted;
    }

    public long stepsAccepted() {
        return stepsAccepted;
    }

    public long stepsRejected() {
        return stepsRejected;
    }

    public long stepsDropped() {
        return stepsDropped;
    }

    public long stepsNonFinite() {
        return stepsNonFinite;
    }

    public double acceptanceRate() {
        return acceptanceRate;
    }

    public double wallSeconds() {
        return wallSeconds;
    }

    public Double evaluationSeconds() {
        return evaluationSeconds;
    }

    public double workerSeconds() {
        return workerSeconds;
    }

    public double stepsPerSecond() {
        return stepsPerSecond;
    }

    public Long gradientsComputed() {
        return gradientsComputed;
    }

    public long batchesProcessed() {
        return batchesProcessed;
    }

    public int epochsCompleted() {
        return epochsCompleted;
    }

    /** K-async, ABS: rounds closed; null for the other algorithms. */
    public Long rounds() {
        return boundedStaleness.rounds;
    }

    /** K-async, ABS: submissions that entered a round; null for the other algorithms. */
    public Long uploads() {
        return boundedStaleness.uploads;
    }

    /** K-async, ABS: forced restarts; null for the other algorithms. */
    public Long restarts() {
        return boundedStaleness.restarts;
    }

    /** Adaptive K: [[seconds, rounds, K], …]; null otherwise. */
    public List<Number[]> kTrace() {
        return boundedStaleness.kTrace == null ? null : Collections.unmodifiableList(boundedStaleness.kTrace);
    }

    /** ABS with a threshold: [[seconds, rounds, S], …]; null otherwise. */
    public List<Number[]> sTrace() {
        return boundedStaleness.sTrace == null ? null : Collections.unmodifiableList(boundedStaleness.sTrace);
    }

    /** SSP: the largest clock spread seen at a step's start; null for the other algorithms. */
    public Long clockSpreadMax() {
        return boundedStaleness.clockSpreadMax;
    }

    public List<long[]> intervalTrace() {
        return intervalTrace == null ? null : Collections.unmodifiableList(intervalTrace);
    }

    public Long intervalsCompleted() {
        return intervalsCompleted;
    }

    public List<Number[]> parallelismTrace() {
        return parallelismTrace == null ? null : Collections.unmodifiableList(parallelismTrace);
    }

    public BreakEven breakEven() {
        return breakEven;
    }

    public List<TracePoint> ainTrace() {
        return ainTrace == null ? null : Collections.unmodifiableList(ainTrace);
    }

    public Long failedCas() {
        return failedCas;
    }

    public Double finalAccuracy() {
        return finalAccuracy;
    }

    public Double timeToTargetSeconds() {
        return timeToTargetSeconds;
    }

    public Double virtualSeconds() {
        return virtualSeconds;
    }

    /** The checkpoint counts (see the field), or null. */
    public Map<String, Object> checkpoints() {
        return checkpoints;
    }

    /**
     * Fills the step counts, acceptance rate, staleness and step-scale sections from the workers' counters (after
     * the workers have stopped). {@code accepted} is the number of applied updates (the store's version).
     */
    private void fillSteps(WorkerStats[] stats, long accepted) {
        StalenessHistogram all = new StalenessHistogram();
        long started = 0;
        long rejected = 0;
        long dropped = 0;
        long nonFinite = 0;
        double scaleSum = 0;
        double scaleMin = Double.POSITIVE_INFINITY;
        double scaleMax = Double.NEGATIVE_INFINITY;
        long zeroScaled = 0;
        // the distinct counts by staleness: each worker's own, or one shared by all (simulation)
        java.util.Set<ByStaleness> byTau = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (WorkerStats s : stats) {
            zeroScaled += s.zeroScaled;
            if (byTau.add(s.byStaleness)) {
                all.merge(s.staleness);
            }
            started += s.started;
            rejected += s.rejected;
            dropped += s.dropped;
            nonFinite += s.nonFinite;
            scaleSum += s.scaleSum;
            scaleMin = Math.min(scaleMin, s.scaleMin);
            scaleMax = Math.max(scaleMax, s.scaleMax);
        }
        stepsStarted = started;
        batchesProcessed = started;
        stepsAccepted = accepted;
        stepsRejected = rejected;
        stepsDropped = dropped;
        stepsNonFinite = nonFinite;
        long fates = accepted + rejected + dropped + nonFinite; // steps in flight when a simulation stops: none yet
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
                    for (ByStaleness b : byTau) {
                        sum += b.scaleSumAt(tau);
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
