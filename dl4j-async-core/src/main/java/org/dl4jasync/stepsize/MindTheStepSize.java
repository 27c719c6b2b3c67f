package org.dl4jasync.stepsize;

import java.util.Locale;

import org.apache.commons.math3.special.Gamma;

/**
 * MindTheStep-AsyncPSGD's staleness-adaptive step size under the Poisson staleness model.
 *
 * <p>K. Bäckström, M. Papatriantafilou, P. Tsigas, "MindTheStep-AsyncPSGD: Adaptive Asynchronous Parallel
 * Stochastic Gradient Descent", IEEE BigData 2019 (thesis Chapter A, Corollary A.4.7, normalisation eq. A.26).
 * Asynchrony acts as implicit momentum: with update weights W(τ) = α(τ)·P[τ] on gradients of age τ, the
 * expected iteration is a momentum iteration with parameter K exactly when W(τ) ∝ K^τ. For Poisson staleness
 * P_λ(τ) = e^{−λ}·λ^τ/τ! that gives
 * <pre>  α(τ) ∝ K^τ / P_λ(τ) = K^τ · e^{λ} · Γ(τ + 1) / λ^τ</pre>
 * computed in log space with Commons Math's log-gamma. (Derived from the momentum-matching condition; not yet
 * checked symbol by symbol against the corollary's printed formula.) As in the paper, the factors are normalised so that their
 * mean over the <em>observed</em> staleness is 1 (eq. A.26), capped at 5, and updates with τ above 150 get factor
 * 0 (dropped; counted as zero-scaled in the report).
 *
 * <p>Where we deviate and why: the normalisation constant c is solved so that E[min(5, c·α(τ))] = 1 holds with
 * the cap applied (bisection), instead of normalising first and capping after, which would leave the mean below 1
 * whenever the cap binds. If the observed mass at τ ≤ 150 is below 1/5 no c reaches mean 1; then every kept
 * factor is 5 and the report's mean shows the shortfall. λ defaults to m; {@code measuredLambda()} uses the mean of
 * the observed staleness at each refresh instead. The default K = 1 − 1/m, the implicit momentum asynchrony
 * induces with m workers under the geometric model (Mitliagkas et al., 2016), is our choice.
 */
public final class MindTheStepSize extends AdaptiveStepSize {
    /** Largest factor, as in the paper. */
    public static final double CAP = 5.0;
    /** Updates staler than this are dropped (factor 0), as in the paper. */
    public static final int MAX_TAU = 150;

    private final double momentum;
    private final double lambda;
    private final boolean measuredLambda;

    private MindTheStepSize(Builder b) {
        super(b.window.build());
        this.momentum = Double.isNaN(b.momentum) ? 1 - 1.0 / b.workers : b.momentum;
        this.lambda = Double.isNaN(b.lambda) ? b.workers : b.lambda;
        this.measuredLambda = b.measuredLambda;
    }

    /** log(K^τ / P_λ(τ)), the unnormalised log factor. */
    static double logRaw(int tau, double k, double lambda) {
        double logK = tau == 0 ? 0 : tau * Math.log(k); // K = 0: −∞ for τ > 0 (factor 0), 0 for τ = 0
        double logPoisson = tau * Math.log(lambda) - lambda - Gamma.logGamma(tau + 1.0);
        return logK - logPoisson;
    }

    @Override
    protected double[] factors(StalenessDistribution d) {
        double lam = measuredLambda ? Math.max(d.mean(), 1e-9) : lambda;
        int n = d.maxTau() + 2;
        double[] logRaw = new double[n];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int tau = 0; tau < n; tau++) {
            logRaw[tau] = tau > MAX_TAU ? Double.NEGATIVE_INFINITY : logRaw(tau, momentum, lam);
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
        return String.format(Locale.ROOT, "mindthestep(K=%s, lambda=%s, cap=%s, max_tau=%d, %s)", momentum,
                measuredLambda ? "measured" : String.valueOf(lambda), CAP, MAX_TAU, window().describe());
    }

    @Override
    public boolean normalized() {
        return true;
    }

    /** {@code new MindTheStepSize.Builder(workers).momentum(K).build()}. */
    public static final class Builder extends AdaptiveStepSize.Builder<Builder> {
        private double momentum = Double.NaN;
        private double lambda = Double.NaN;
        private boolean measuredLambda;

        public Builder(int workers) {
            super(workers);
        }

        /** Desired momentum K ∈ [0, 1). Default 1 − 1/m. */
        public Builder momentum(double k) {
            this.momentum = k;
            return this;
        }

        /** λ of the Poisson model (> 0). Default m. */
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

        public MindTheStepSize build() {
            if (!Double.isNaN(momentum) && !(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("MindTheStep momentum K must be in [0, 1), got " + momentum);
            }
            if (!Double.isNaN(lambda) && !(lambda > 0 && Double.isFinite(lambda))) {
                throw new IllegalArgumentException("MindTheStep lambda must be > 0, got " + lambda);
            }
            return new MindTheStepSize(this);
        }
    }
}
