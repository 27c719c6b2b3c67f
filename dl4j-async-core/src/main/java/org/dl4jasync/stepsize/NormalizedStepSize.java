package org.dl4jasync.stepsize;

import java.util.Objects;

/**
 * Any fixed rule rescaled to mean factor 1 over the observed staleness distribution: factor(τ) =
 * rule(τ) / E_τ'[rule(τ')], so rules are compared at the same mean step (the point of ASAP.SGD's
 * mean-preservation). Factor 1 during the warm-up, like every distribution-based policy.
 */
public final class NormalizedStepSize extends AdaptiveStepSize {
    private final StepSizePolicy rule;

    private NormalizedStepSize(Builder b) {
        super(b.window.build());
        this.rule = b.rule;
    }

    @Override
    protected double[] factors(StalenessDistribution d) {
        int n = d.maxTau() + 2;
        double[] f = new double[n];
        double mean = 0;
        for (int tau = 0; tau < n; tau++) {
            f[tau] = rule.factor(tau);
            mean += d.probability(tau) * f[tau];
        }
        if (!(mean > 0)) {
            throw new IllegalStateException(rule.describe() + " has mean factor " + mean + " over the observed "
                    + "staleness: cannot normalise it to mean 1");
        }
        for (int tau = 0; tau < n; tau++) {
            f[tau] /= mean;
        }
        return f;
    }

    @Override
    public String name() {
        return rule.name();
    }

    @Override
    public String describe() {
        return rule.describe() + " normalised (" + window().describe() + ")";
    }

    @Override
    public boolean normalized() {
        return true;
    }

    /** {@code new NormalizedStepSize.Builder(InverseStepSize.INSTANCE, workers).build()}. */
    public static final class Builder extends AdaptiveStepSize.Builder<Builder> {
        private final StepSizePolicy rule;

        /** @param rule a fixed rule of τ (its {@code observe} is not called) */
        public Builder(StepSizePolicy rule, int workers) {
            super(workers);
            this.rule = Objects.requireNonNull(rule, "rule");
            if (rule instanceof AdaptiveStepSize) {
                throw new IllegalArgumentException(rule.name() + " already adapts to the observed staleness; "
                        + "normalise only fixed rules (constant, inverse, fleet)");
            }
        }

        public NormalizedStepSize build() {
            return new NormalizedStepSize(this);
        }
    }
}
