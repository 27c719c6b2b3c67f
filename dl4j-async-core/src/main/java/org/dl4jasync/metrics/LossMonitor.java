package org.dl4jasync.metrics;

/**
 * The training loss as controllers see it: y-probing (Interval-Asynchrony) and elastic parallelism (ElAsyncSGD)
 * compare convergence rates — loss decrease per second — between phases. One interface, used by both.
 */
public interface LossMonitor {

    /** The current loss estimate, or NaN while nothing has been observed. */
    double loss();
}
