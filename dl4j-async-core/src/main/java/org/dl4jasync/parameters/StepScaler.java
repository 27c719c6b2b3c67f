package org.dl4jasync.parameters;

/**
 * The factor applied to an update once its staleness is known (inside the store's apply, because only there
 * is τ fixed). Implemented by the trainer on top of the step-size policy; must not allocate.
 *
 * <p><b>Extension interface</b> (not needed to train with the built-in algorithms): the engines give it to a store's apply. See DESIGN.md,
 * "Public API".
 */
@FunctionalInterface
public interface StepScaler {
    StepScaler UNIT = tau -> 1.0;

    double factor(long staleness);
}
