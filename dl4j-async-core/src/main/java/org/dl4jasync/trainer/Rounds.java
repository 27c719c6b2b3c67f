package org.dl4jasync.trainer;

/**
 * The completion of a step in a round-based run (sync: {@link SyncRounds}; K-async and ABS: {@link KAsyncRounds}):
 * the step's gradient or update enters the open round, which closes and applies when it is complete. A run that
 * applies steps one by one has none; its step ends in {@link Run#apply}, {@link Run#reject} or {@link Run#drop}.
 */
interface Rounds {
    /** The finished step of {@code ws} (its update formed, or for sync its gradient) enters the open round. */
    void submit(WorkerState ws);
}
