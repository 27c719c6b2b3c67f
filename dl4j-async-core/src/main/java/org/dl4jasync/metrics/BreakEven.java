package org.dl4jasync.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * Worker-seconds of an elastic run against a constant-m baseline (ElAsyncSGD, Section D.6): the report's
 * {@code break_even} section.
 */
@JsonPropertyOrder({"baseline_workers", "seconds", "elastic_worker_seconds", "baseline_worker_seconds"})
public final class BreakEven {
    private BreakEven() {}

    private int baselineWorkers;
    /**
     * The time from which on the elastic run has used no more worker-seconds (∫ m(t) dt over its parallelism
     * trace) than the baseline's m·t; null when it does not break even within the run.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    private Double seconds;
    /** ∫ m(t) dt over the run. */
    private double elasticWorkerSeconds;
    /** m·T over the run's duration T. */
    private double baselineWorkerSeconds;

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

    public int baselineWorkers() {
        return baselineWorkers;
    }

    public Double seconds() {
        return seconds;
    }

    public double elasticWorkerSeconds() {
        return elasticWorkerSeconds;
    }

    public double baselineWorkerSeconds() {
        return baselineWorkerSeconds;
    }
}
