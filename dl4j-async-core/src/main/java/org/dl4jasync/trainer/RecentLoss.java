package org.dl4jasync.trainer;

import org.dl4jasync.metrics.WorkerStats;

/**
 * The mean minibatch loss of the steps computed since the previous reading, from the workers' own counters (each
 * written by its worker only; a reading may miss a step in flight, which the next reading then counts). Used by the
 * loss trace and by the progress display, each with its own instance. Not thread-safe: one reader at a time.
 */
final class RecentLoss {
    private final WorkerStats[] workers;
    private double sumSeen;
    private long countSeen;
    private long lastSteps;

    /** From the counters as they are now (a resumed run's include the steps before the checkpoint). */
    RecentLoss(WorkerStats[] workers) {
        this.workers = workers;
        next();
    }

    /** The mean loss of the steps computed since the previous call; NaN when there were none (or it is NaN). */
    double next() {
        double sum = 0;
        long count = 0;
        for (WorkerStats s : workers) {
            sum += s.lossSum;
            count += s.lossCount;
        }
        long dc = count - countSeen;
        lastSteps = dc;
        double mean = dc > 0 ? (sum - sumSeen) / dc : Double.NaN;
        sumSeen = sum;
        countSeen = count;
        return mean;
    }

    /** Where the next reading starts: [loss sum, loss count] seen so far (a checkpoint keeps it). */
    double[] seen() {
        return new double[] {sumSeen, countSeen};
    }

    /** Takes back {@link #seen} (a resumed run: its next reading covers the steps since the checkpoint's last). */
    void seen(double[] s) {
        sumSeen = s[0];
        countSeen = (long) s[1];
    }

    /** Whether the last {@link #next()} covered at least one step. */
    boolean hadSteps() {
        return lastSteps > 0;
    }
}
