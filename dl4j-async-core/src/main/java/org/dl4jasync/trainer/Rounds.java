package org.dl4jasync.trainer;

/**
 * The completion of a round-based run (sync: {@link SyncRounds}; K-async and ABS: {@link KAsyncRounds}): every step
 * is accepted, and its gradient or update enters the open round, which closes and applies one update when it is
 * complete.
 */
interface Rounds extends Completion {
    /** The finished step of {@code ws} (its update formed, or for sync its gradient) enters the open round. */
    void submit(WorkerState ws);

    @Override
    default boolean accepts(WorkerState ws) {
        return true;
    }

    @Override
    default void land(WorkerState ws) {
        submit(ws);
    }

    @Override
    default void refuse(WorkerState ws) {
        throw new IllegalStateException("a round takes every step; worker " + ws.id + "'s was refused");
    }
}
