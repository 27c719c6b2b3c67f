package org.dl4jasync.stepsize;

import java.util.Locale;

/**
 * FLeet's staleness dampening as evaluated in the TAIL-τ paper (ASAP.SGD, ICML 2022, Section on baselines):
 * factor exp(−β·τ) with τ_thr = m + 1 and β = (2/τ_thr)·ln(1 + τ_thr/2), so the factor at τ = τ_thr/2 is
 * 1/(1 + τ_thr/2). (Damaskinos et al., "FLeet: Online Federated Learning via Staleness Awareness and Performance
 * Prediction", Middleware 2020.)
 */
public final class FleetStepSize implements StepSizePolicy {
    private final int workers;
    private final double beta;

    public FleetStepSize(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        this.workers = workers;
        double thr = workers + 1.0;
        this.beta = (2 / thr) * Math.log(1 + thr / 2);
    }

    @Override
    public double factor(long tau) {
        return Math.exp(-beta * tau);
    }

    @Override
    public String name() {
        return "fleet";
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "fleet(tau_thr=%d, beta=%.6g)", workers + 1, beta);
    }
}
