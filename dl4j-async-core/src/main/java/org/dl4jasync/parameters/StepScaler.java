package org.dl4jasync.parameters;

/**
 * The factor applied to an update once its staleness is known (inside the store's apply, because only there
 * is τ fixed). Implemented by the trainer on top of the step-size policy; must not allocate.
 *
 * <p><b>Engine-internal</b>: public only because other packages of the core use it; not part of the API for users
 * and may change without notice (see DESIGN.md, "Public API").
 */
@FunctionalInterface
public interface StepScaler {
    StepScaler UNIT = tau -> 1.0;

    double factor(long staleness);
}
