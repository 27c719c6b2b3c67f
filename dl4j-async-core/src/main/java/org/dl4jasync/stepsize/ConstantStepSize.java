package org.dl4jasync.stepsize;

/** Factor 1 for every staleness: the step size the model's updater configures. */
public final class ConstantStepSize implements StepSizePolicy {
    public static final ConstantStepSize INSTANCE = new ConstantStepSize();

    private ConstantStepSize() {}

    @Override
    public double factor(long tau) {
        return 1.0;
    }

    @Override
    public String name() {
        return "constant";
    }
}
