package org.dl4jasync.trainer;

/**
 * How a finished step ends: the one seam between the step protocol ({@link Run}) and an algorithm, called the same
 * way by both engines. {@link PerStepCompletion} applies each accepted step's own update (async, interval, bounded
 * staleness, elastic); the {@link Rounds} — {@link SyncRounds}, {@link KAsyncRounds} — take every step into a round
 * that applies one update when it closes.
 *
 * <pre>
 * accepts(ws) ? [update formed] land(ws) : refuse(ws)
 * </pre>
 */
interface Completion {
    /** FINISHSTEP: whether the finished step of {@code ws} is accepted; its update is then formed and it lands. */
    boolean accepts(WorkerState ws);

    /** The accepted step of {@code ws}, its update (sync: its gradient) formed: applied, or entered into a round. */
    void land(WorkerState ws);

    /** The step of {@code ws} was not accepted: counted as rejected, its permit given back, observed. */
    void refuse(WorkerState ws);
}
