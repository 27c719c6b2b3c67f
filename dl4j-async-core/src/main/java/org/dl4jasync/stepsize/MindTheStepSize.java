package org.dl4jasync.stepsize;

import java.util.Locale;
import java.util.Objects;
import org.apache.commons.math3.special.Gamma;

/**
 * MindTheStep-AsyncPSGD's staleness-adaptive step size for Poisson staleness, as the thesis prints it.
 *
 * <p>K. Bäckström, M. Papatriantafilou, P. Tsigas, "MindTheStep-AsyncPSGD: Adaptive Asynchronous Parallel
 * Stochastic Gradient Descent", IEEE BigData 2019; K. Bäckström's thesis, Chapter A: Theorem A.4.6 and
 * <b>Corollary A.4.7, eq. A.18</b>, normalisation eq. A.26. For staleness τ ~ Poisson(λ) the step size of an update
 * of staleness τ is
 * <pre>  η(τ) = c(τ) · λ^(−τ) · τ! · η,   c(τ) = 1 − (K/η) · Γ(τ, λ)/Γ(τ) = 1 − (K/(η·e^λ)) · Σ_{j&lt;τ} λ^j/j!,
 *   c(0) = 1</pre>
 * (Γ(τ, λ)/Γ(τ) is the regularised upper incomplete gamma function Q(τ, λ)). As in the thesis's evaluation the
 * defaults are K = 1, η = the model's learning rate η_c and λ = m; η(τ) is capped at 5·η_c, τ above 150 is not
 * applied, and the factors are normalised so that E_τ[η(τ)] = η_c over the observed staleness (eq. A.26). The policy
 * returns η(τ)/η_c, the factor on the update DL4J's updater made with η_c.
 *
 * <p><b>Where c(τ) ≤ 0 the update gets factor 0</b> (never a negative step) and is counted as zero-scaled in the
 * report's {@code step_scale}. With the thesis's values this is most of the distribution: for K = 1, η = 0.01 the
 * printed c(τ) is ≤ 0 from τ = 9 at λ = 16 and from τ = 21 at λ = 32, i.e. for all τ near and above λ (checked in
 * {@code MindTheStepSizeTest}). An update is also dropped (factor 0) when τ &gt; 150, observed or not: the table
 * always reaches τ = 151, whose factor 0 serves every larger τ (the window's histogram bound is kept above 150 for
 * that).
 *
 * <p><b>The printed e^λ.</b> Re-deriving A.17 from A.15 gives c(τ) = 1 − (K/η)·Σ_{j&lt;τ} λ^j/j!, without the 1/e^λ
 * of A.18; our reading is that the printed e^λ is a slip. {@link Form#REDERIVED} offers that variant. With K = 1 and
 * η = 0.01 it is ≤ 0 from τ = 1 at any λ ≥ 1, i.e. it drops every stale update; it keeps stale updates only when
 * K/η &lt; 1/(1 + λ).
 *
 * <p>Where we deviate and why: the normalisation constant is solved so that E[min(5, C·η(τ)/η)] = 1 holds with the
 * cap applied (bisection), instead of normalising first and capping after, which would leave the mean below 1
 * whenever the cap binds. If the observed mass with a positive factor is below 1/5 no constant reaches mean 1; then
 * every kept factor is 5 and the report's mean shows the shortfall. {@code measuredLambda()} uses the mean of the
 * observed staleness at each refresh instead of λ = m. The factors are computed in log space: log c(τ) +
 * log Γ(τ + 1) − τ·log λ, the sum Σ_{j&lt;τ} λ^j/j! accumulated as a log-sum-exp.
 */
public final class MindTheStepSize extends AdaptiveStepSize {
    /** Largest factor, as in the thesis (5·η_c). */
    public static final double CAP = 5.0;
    /** Updates staler than this are dropped (factor 0), as in the thesis. */
    public static final int MAX_TAU = 150;

    /** Which c(τ). */
    public enum Form {
        /** Eq. A.18 as printed: c(τ) = 1 − (K/(η·e^λ))·Σ_{j&lt;τ} λ^j/j!. */
        PRINTED,
        /** Re-derived from A.15: c(τ) = 1 − (K/η)·Σ_{j&lt;τ} λ^j/j! (no 1/e^λ). */
        REDERIVED
    }

    private final double momentum;
    private final double eta;
    private final double lambda;
    private final boolean measuredLambda;
    private final Form form;

    private MindTheStepSize(Builder b) {
        super(b.window.build());
        this.momentum = b.momentum;
        this.eta = b.eta;
        this.lambda = Double.isNaN(b.lambda) ? b.workers : b.lambda;
        this.measuredLambda = b.measuredLambda;
        this.form = b.form;
    }

    /**
     * log(c(τ)·λ^(−τ)·τ!) for τ = 0 … n − 1, −∞ where c(τ) ≤ 0 or τ &gt; {@link #MAX_TAU} (factor 0): the
     * unnormalised log factors.
     */
    static double[] logRaw(int n, double k, double eta, double lambda, Form form) {
        double[] out = new double[n];
        double logLambda = Math.log(lambda);
        double logKOverEta = Math.log(k / eta) - (form == Form.PRINTED ? lambda : 0); // −∞ for K = 0: c ≡ 1
        double logSum = Double.NEGATIVE_INFINITY; // log Σ_{j<τ} λ^j/j!
        for (int tau = 0; tau < n; tau++) {
            double logC;
            if (tau == 0) {
                logC = 0; // c(0) = 1
            } else {
                double logTerm = (tau - 1) * logLambda - Gamma.logGamma(tau); // log λ^(τ−1)/(τ−1)!
                logSum = logAddExp(logSum, logTerm);
                double subtract = Math.exp(logKOverEta + logSum);
                logC = subtract >= 1 ? Double.NEGATIVE_INFINITY : Math.log1p(-subtract);
            }
            out[tau] = tau > MAX_TAU ? Double.NEGATIVE_INFINITY : logC + Gamma.logGamma(tau + 1.0) - tau * logLambda;
        }
        return out;
    }

    private static double logAddExp(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        double hi = Math.max(a, b);
        return hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
    }

    @Override
    protected double[] factors(StalenessDistribution d) {
        double lam = measuredLambda ? Math.max(d.mean(), 1e-9) : lambda;
        // At least up to τ = MAX_TAU + 1, whose factor 0 then serves every larger τ (clamped lookup).
        int n = Math.max(d.maxTau() + 2, MAX_TAU + 2);
        double[] logRaw = logRaw(n, momentum, eta, lam, form);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int tau = 0; tau <= d.maxTau(); tau++) {
            if (d.count(tau) > 0 && logRaw[tau] > Double.NEGATIVE_INFINITY) {
                lo = Math.min(lo, -logRaw[tau]);
                hi = Math.max(hi, Math.log(CAP) - logRaw[tau]);
            }
        }
        double logC;
        if (lo == Double.POSITIVE_INFINITY) {
            logC = 0; // every observed τ is dropped: nothing to normalise
        } else {
            // mean(logC) is non-decreasing; at lo every kept factor ≤ 1 (mean ≤ 1), at hi every one is CAP.
            lo = lo - Math.log(CAP);
            for (int i = 0; i < 200 && hi - lo > 1e-13; i++) {
                double mid = 0.5 * (lo + hi);
                if (mean(d, logRaw, mid) < 1) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            logC = hi;
        }
        double[] f = new double[n];
        for (int tau = 0; tau < n; tau++) {
            f[tau] = clamp(logC + logRaw[tau]);
        }
        return f;
    }

    private static double clamp(double logFactor) {
        return logFactor >= Math.log(CAP) ? CAP : Math.exp(logFactor);
    }

    private static double mean(StalenessDistribution d, double[] logRaw, double logC) {
        double m = 0;
        for (int tau = 0; tau <= d.maxTau(); tau++) {
            if (d.count(tau) > 0) {
                m += d.probability(tau) * clamp(logC + logRaw[tau]);
            }
        }
        return m;
    }

    @Override
    public String name() {
        return "mindthestep";
    }

    @Override
    public String describe() {
        return String.format(
                Locale.ROOT,
                "mindthestep(%s, K=%s, eta=%s, lambda=%s, cap=%s, max_tau=%d, %s)",
                form.name().toLowerCase(Locale.ROOT),
                momentum,
                eta,
                measuredLambda ? "measured" : String.valueOf(lambda),
                CAP,
                MAX_TAU,
                window().describe());
    }

    @Override
    public boolean normalized() {
        return true;
    }

    /** {@code new MindTheStepSize.Builder(workers, eta).momentum(K).build()}. */
    public static final class Builder extends AdaptiveStepSize.Builder<Builder> {
        private double momentum = 1.0;
        private final double eta;
        private double lambda = Double.NaN;
        private boolean measuredLambda;
        private Form form = Form.PRINTED;

        /**
         * @param eta η in c(τ): the learning rate of the model's updater, η_c in the thesis's evaluation (&gt; 0)
         */
        public Builder(int workers, double eta) {
            super(workers);
            if (!(eta > 0 && Double.isFinite(eta))) {
                throw new IllegalArgumentException(
                        "MindTheStep's eta (the base learning rate in c(tau)) must be > 0," + " got " + eta);
            }
            this.eta = eta;
            window.maxStalenessAtLeast(MAX_TAU + 1);
        }

        /** K ≥ 0 in c(τ). Default 1, the thesis's evaluation. */
        public Builder momentum(double k) {
            this.momentum = k;
            return this;
        }

        /** λ of the Poisson model (&gt; 0). Default m. */
        public Builder lambda(double l) {
            this.lambda = l;
            this.measuredLambda = false;
            return this;
        }

        /** λ = the mean observed staleness, re-read at every refresh. */
        public Builder measuredLambda() {
            this.measuredLambda = true;
            return this;
        }

        /** Eq. A.18 as printed (default) or the re-derived c(τ). */
        public Builder form(Form f) {
            this.form = Objects.requireNonNull(f, "form");
            return this;
        }

        /** The histogram bound must stay above {@link #MAX_TAU}, so that every τ &gt; 150 falls in a dropped bin. */
        @Override
        public Builder maxStaleness(int b) {
            if (b <= MAX_TAU) {
                throw new IllegalArgumentException(
                        "MindTheStep needs maxStaleness > " + MAX_TAU + " (staleness above it is dropped), got " + b);
            }
            return super.maxStaleness(b);
        }

        public MindTheStepSize build() {
            if (!(momentum >= 0 && Double.isFinite(momentum))) {
                throw new IllegalArgumentException("MindTheStep momentum K must be >= 0, got " + momentum);
            }
            if (!Double.isNaN(lambda) && !(lambda > 0 && Double.isFinite(lambda))) {
                throw new IllegalArgumentException("MindTheStep lambda must be > 0, got " + lambda);
            }
            return new MindTheStepSize(this);
        }
    }
}
