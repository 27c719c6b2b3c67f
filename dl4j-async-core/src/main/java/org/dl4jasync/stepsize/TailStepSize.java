package org.dl4jasync.stepsize;

import java.util.Locale;
import java.util.Objects;

/**
 * TAIL-τ: the step-size factor C(τ) = 1 + A·(1 − 2·φ(F(τ))) from the CDF F of the observed staleness.
 *
 * <p>K. Bäckström, M. Papatriantafilou, P. Tsigas, "ASAP.SGD: Instance-based Adaptiveness to Staleness in
 * Asynchronous SGD", ICML 2022 (thesis Chapter C: Definitions C.4.1–C.4.5 for φ = identity, Theorem C.4.8 for the
 * generalised φ, Lemma C.4.7 for the properties the tests check). Fresher-than-typical updates get up to 1 + A,
 * staler ones down to 1 − A; the mean step over the staleness distribution is unchanged.
 *
 * <p>Where we deviate and why:
 * <ul>
 *   <li><b>Discrete CDF.</b> τ is discrete, so F(τ) is ambiguous at atoms. We use the mean of φ over τ's CDF
 *       interval [P[τ' &lt; τ], P[τ' ≤ τ]], which for φ = identity is the mid-point convention
 *       F(τ) = P[τ' &lt; τ] + ½·P[τ' = τ]. Then E[C(τ)] = 1 <em>exactly</em> on the observed histogram for any
 *       valid φ (Σ over atoms of ∫φ on their intervals = ∫₀¹φ = ½), not only in the continuous limit, and C stays
 *       non-increasing in τ and within [1 − A, 1 + A].</li>
 *   <li><b>Estimation.</b> The reference freezes the CDF estimated from steps 10m–15m. We estimate it the same way
 *       (warm-up 15m, counting its last third) and by default refresh it over a sliding window
 *       ({@link StalenessWindow}), because the distribution moves when the worker count (elastic parallelism) or
 *       an interval size changes, and a frozen table would then no longer preserve the mean; {@code frozen()}
 *       gives the reference's behaviour.</li>
 *   <li><b>Beyond the histogram.</b> The reference indexes past its table for τ larger than any observed; we clamp:
 *       τ above every observation gets F = 1, i.e. 1 − A, and τ above {@code maxStaleness} shares the last bin.</li>
 * </ul>
 */
public final class TailStepSize extends AdaptiveStepSize {
    private final double amplitude;
    private final Phi phi;

    private TailStepSize(Builder b) {
        super(b.window.build());
        this.amplitude = b.amplitude;
        this.phi = b.phi;
    }

    @Override
    protected double[] factors(StalenessDistribution d) {
        int n = d.maxTau() + 2;
        double[] f = new double[n];
        double total = d.total();
        long below = 0;
        for (int tau = 0; tau < n; tau++) {
            long c = d.count(tau);
            double a = below / total;
            double b = (below + c) / total;
            f[tau] = 1 + amplitude * (1 - 2 * phi.average(a, b));
            below += c;
        }
        return f;
    }

    @Override
    public String name() {
        return "tail";
    }

    /** Mean 1 over the observed distribution by construction. */
    @Override
    public boolean normalized() {
        return true;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "tail(A=%s, phi=%s, %s)", amplitude, phi, window().describe());
    }

    /** {@code new TailStepSize.Builder(workers).amplitude(1).phi(Phi.IDENTITY).build()}. */
    public static final class Builder extends AdaptiveStepSize.Builder<Builder> {
        private double amplitude = 1.0;
        private Phi phi = Phi.IDENTITY;

        public Builder(int workers) {
            super(workers);
        }

        /** A ∈ [0, 1]: the factors span [1 − A, 1 + A]. Default 1. */
        public Builder amplitude(double a) {
            this.amplitude = a;
            return this;
        }

        public Builder phi(Phi p) {
            this.phi = Objects.requireNonNull(p, "phi");
            return this;
        }

        public TailStepSize build() {
            if (!(amplitude >= 0 && amplitude <= 1)) {
                throw new IllegalArgumentException("TAIL-τ amplitude must be in [0, 1], got " + amplitude
                        + " (1 − A is the smallest factor and must not be negative)");
            }
            return new TailStepSize(this);
        }
    }
}
