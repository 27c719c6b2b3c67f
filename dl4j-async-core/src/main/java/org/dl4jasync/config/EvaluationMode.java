package org.dl4jasync.config;

/**
 * How the periodic evaluation of a run on real threads shares the machine with training (the simulator's evaluation
 * takes no virtual time in either mode).
 */
public enum EvaluationMode {
    /**
     * The worker whose update crosses the boundary evaluates while the others pause at their next step boundary; the
     * run's clock stands still meanwhile, so the time axis (traces, time limit, time to target, steps/s) counts
     * training only, as DL4J's own loops with an evaluating listener. The default: it makes times comparable with
     * {@code net.fit} and ParallelWrapper, whose evaluation is not timed either.
     */
    PAUSED,
    /**
     * The worker whose update crosses the boundary evaluates while the others go on training; the evaluation's time
     * is on the time axis (one worker's throughput is lost while it evaluates).
     */
    CONCURRENT
}
