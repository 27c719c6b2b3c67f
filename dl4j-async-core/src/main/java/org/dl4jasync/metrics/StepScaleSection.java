package org.dl4jasync.metrics;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The report's {@code step_scale}: the step-size factor over applied updates. Filled by {@link TrainingReport}. */
@JsonPropertyOrder({"policy", "normalized", "mean", "min", "max", "zero_scaled", "by_staleness"})
public final class StepScaleSection {
    /** The step-size policy with its parameters. */
    String policy;
    /** Whether the factors have mean 1 over the observed staleness (by construction or by --normalize). */
    boolean normalized;

    Double mean;
    Double min;
    Double max;
    /** Applied updates with factor 0 (dropped by the rule, e.g. MindTheStep above τ = 150). */
    long zeroScaled;
    /** [[τ, mean factor applied at τ], …] for every τ that occurred: the curve of the paper's Figures C.4–C.5. */
    List<double[]> byStaleness = new ArrayList<>();

    public List<double[]> byStaleness() {
        return byStaleness == null ? null : Collections.unmodifiableList(byStaleness);
    }

    public String policy() {
        return policy;
    }

    public boolean normalized() {
        return normalized;
    }

    public Double mean() {
        return mean;
    }

    public Double min() {
        return min;
    }

    public Double max() {
        return max;
    }

    public long zeroScaled() {
        return zeroScaled;
    }
}
