package org.dl4jasync.dispatch;

import org.dl4jasync.metrics.ReportBuilder;

/**
 * Chooses the size y of each interval of the {@link IntervalDispatcher}. Called by the one thread that ends an
 * interval (never concurrently with itself).
 */
public interface IntervalPolicy {

    /** Size of the first interval, ≥ 1. */
    int initialY();

    /**
     * Size of the next interval, ≥ 1.
     *
     * @param currentY      size of the interval that just ended
     * @param acceptedSteps accepted steps so far, including the interval that just ended
     */
    int nextY(int currentY, long acceptedSteps);

    /** Short name for reports. */
    String name();

    /** Adds what the policy chose to the report (e.g. auto y0's choice); default nothing. */
    default void report(ReportBuilder report) {}

    /** y constant. */
    static IntervalPolicy fixed(int y) {
        if (y < 1) {
            throw new IllegalArgumentException("interval y must be >= 1, got " + y);
        }
        return new IntervalPolicy() {
            @Override
            public int initialY() {
                return y;
            }

            @Override
            public int nextY(int currentY, long acceptedSteps) {
                return y;
            }

            @Override
            public String name() {
                return "fixed";
            }
        };
    }

    /**
     * y decreases by {@code amount} every {@code every} accepted steps, never below {@code min} (the paper: −1 per
     * 4,096 accepted steps; the reference scripts: y0 = 4096, −4 per 2,048, min 4). The decrease is a function of
     * the accepted-step count, applied at interval boundaries: y = max(min, y0 − amount·⌊accepted / every⌋).
     */
    static IntervalPolicy decay(int y0, int amount, long every, int min) {
        if (y0 < 1 || min < 1 || min > y0) {
            throw new IllegalArgumentException("decay needs 1 <= y-min <= y0, got y0 " + y0 + " and y-min " + min);
        }
        if (amount < 1 || every < 1) {
            throw new IllegalArgumentException(
                    "decay needs y-decay-amount >= 1 and y-decay-every >= 1, got " + amount + " and " + every);
        }
        return new IntervalPolicy() {
            @Override
            public int initialY() {
                return y0;
            }

            @Override
            public int nextY(int currentY, long acceptedSteps) {
                long y = y0 - (long) amount * (acceptedSteps / every);
                return (int) Math.max(min, y);
            }

            @Override
            public String name() {
                return "decay";
            }
        };
    }
}
