package org.dl4jasync.config;

/** How Interval-Asynchrony's interval size y evolves. */
public enum IntervalSchedule {
    /** y constant. */
    FIXED,
    /** y decreases by a fixed amount every fixed number of accepted steps, down to a minimum. */
    DECAY,
    /** y probed in a window around it at phase boundaries (the paper's Section 4.1). */
    PROBE
}
