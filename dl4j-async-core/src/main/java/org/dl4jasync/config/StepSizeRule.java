package org.dl4jasync.config;

/** The staleness-adaptive step-size rules. */
public enum StepSizeRule {
    /** Factor 1 for every update. */
    CONSTANT,
    /** TAIL-τ. */
    TAIL,
    /** 1/(τ+1). */
    INVERSE,
    /** FLeet's exp(−βτ). */
    FLEET,
    /** MindTheStep. */
    MINDTHESTEP
}
