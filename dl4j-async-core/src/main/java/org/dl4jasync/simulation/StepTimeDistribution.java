package org.dl4jasync.simulation;

import java.util.SplittableRandom;

/**
 * Virtual duration of a worker's step (or apply). Each worker draws from its own random stream, so its
 * durations do not depend on how events interleave.
 */
public interface StepTimeDistribution {

    /** A duration in virtual seconds, ≥ 0. */
    double sample(int worker, SplittableRandom random);

    /** Mean duration of {@code worker}'s steps, for reports and sanity checks. */
    double mean(int worker);
}
