package org.dl4jasync.stepsize;

/**
 * The common staleness-aware rule η(τ) = η0 / (τ + 1) (e.g. Zhang et al., "Staleness-aware Async-SGD", IJCAI
 * 2016, with τ counted from 0). Its mean factor falls as the number of workers grows, which is what TAIL-τ's
 * paper criticises; {@link NormalizedStepSize} rescales it to mean 1.
 */
public final class InverseStepSize implements StepSizePolicy {
    public static final InverseStepSize INSTANCE = new InverseStepSize();

    private InverseStepSize() {}

    @Override
    public double factor(long tau) {
        return 1.0 / (tau + 1);
    }

    @Override
    public String name() {
        return "inverse";
    }
}
