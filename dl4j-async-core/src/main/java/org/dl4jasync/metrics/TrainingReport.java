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
    "store_stats",
    "step_time_samples"
})
public final class TrainingReport implements Cloneable {

    /** Serialises the (private) fields, so the JSON keys are the fields' names in snake case. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    Map<String, Object> config = new LinkedHashMap<>();
    String algorithm;
    /** Store semantics, or null when the algorithm has none (DL4J's ParallelWrapper). */
    String store;

    String stepSize;
    int workers;
    /** Why the run ended: epochs, max_steps, time_limit, target_accuracy. */
    StopReason stopReason;

    long stepsStarted;
    long stepsAccepted;
    /** Gradients the dispatcher rejected (never applied). */
    long stepsRejected;
    /** Accepted gradients the store dropped (CAS-published persistence bound). Acceptance rate is
     *  accepted / (accepted + rejected + dropped + non-finite): the fate of every finished step. */
    long stepsDropped;
    /** Steps whose loss or update was NaN or infinite, never applied (on_non_finite skip; stop: the one that ended
     *  the run). A fate of its own in the acceptance rate's denominator. */
    long stepsNonFinite;

    double acceptanceRate;
    StalenessSection staleness = new StalenessSection();
    StepScaleSection stepScale = new StepScaleSection();
    /** Training time: on threads, wall time with evaluation pauses taken out (eval_mode paused, DL4J baselines). */
    double wallSeconds;
    /** Wall seconds spent in evaluations during the run: outside wall_seconds when they paused training, inside it
     *  when they ran concurrently (eval_mode concurrent). Null in simulation (evaluation takes no virtual time). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    Double evaluationSeconds;

    double workerSeconds;
    double stepsPerSecond;
    /** Minibatch gradients computed (for sync: m per applied update). */
    long batchesProcessed;
    /** Minibatch gradients computed: on threads every started step's; in simulation only those of steps that applied
     *  or contributed (a rejected step's gradient is skipped). Null without a model. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    Long gradientsComputed;

    int epochsCompleted;
    /** Interval-Asynchrony only: [[accepted_steps, y], …] at the start of every interval. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    List<long[]> intervalTrace;
    /** Interval-Asynchrony only: intervals ended. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    Long intervalsCompleted;
    /** The bounded-staleness family's fields (top level in the JSON, each only where it applies). */
    @JsonUnwrapped
    BoundedStalenessSection boundedStaleness = new BoundedStalenessSection();
    /** Elastic parallelism only: [[seconds, accepted_steps, m], …] at the start of every probed level and execution phase. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    List<Number[]> parallelismTrace;
    /** Elastic parallelism with a comparison baseline of constant m (ElAsyncSGD, Section D.6). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    BreakEven breakEven;
    /** {@code --measure-ain} only: [[seconds, accepted_steps, ‖ξ‖], …] (asynchrony-induced noise, Definition D.4.2). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    List<TracePoint> ainTrace;
    /** CAS-published store only: failed CAS attempts (contention); absent for the other stores. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    Long failedCas;

    List<TracePoint> lossTrace = new ArrayList<>();
    List<TracePoint> accuracyTrace = new ArrayList<>();

    @JsonInclude(JsonInclude.Include.ALWAYS)
    Double finalAccuracy;

    @JsonInclude(JsonInclude.Include.ALWAYS)
    Double timeToTargetSeconds;
    /** Simulated runs only: virtual time the run covered (the time base of the traces); absent for real runs. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    Double virtualSeconds;
    /** The run's checkpoints: {@code written}, {@code failed}, {@code skipped} (due while one was being written),
     *  {@code last} (the newest file), {@code final_written} (the end state's), {@code last_error} (of the newest
     *  failed write, or null); null when none were asked for. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    Map<String, Object> checkpoints;
    /**
     * The store's own measurements when it has any (the cluster store: members, traffic in bytes, call latencies);
     * null for the in-process stores.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    Map<String, Object> storeStats;
    /**
     * Real runs: per worker, a uniform sample (up to 512) of step compute times in seconds, from which the
     * simulator's {@code measured:FILE} step times are drawn. Empty for simulated runs.
     */
    List<double[]> stepTimeSamples = new ArrayList<>();

    /** Made by {@link ReportBuilder}. */
    TrainingReport() {}

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

    // ---- the report, read-only (a ReportBuilder fills it)

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
    public Map<String, Object> storeStats() {
        return storeStats == null ? null : Collections.unmodifiableMap(storeStats);
    }

    public Map<String, Object> checkpoints() {
        return checkpoints;
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
