package org.dl4jasync.trainer;

import java.util.function.Consumer;

/**
 * What a {@link Completion} reads and tells of its run ({@link Run} is the one implementation): the bookkeeping a
 * step's end shares with every algorithm, written once. Everything else a completion needs (store, dispatcher,
 * listeners' bridge, clock) it is given when it is made.
 */
interface CompletionHost {
    /** Worker {@code w}'s state (made before the worker's first step). */
    WorkerState worker(int w);

    /** Whether the run is ending: stopped, or its update budget spent (a round then closes no more). */
    boolean ending();

    /** Wakes every worker waiting to start a step. */
    void signalWaiters();

    /**
     * Before the step of {@code ws} goes into the shared parameters: false when its loss and update are finite; else
     * handles it by the run's non-finite policy and returns true ({@code givesUp}: what the algorithm does with a
     * step it will not apply).
     */
    boolean refuseNonFinite(WorkerState ws, Consumer<WorkerState> givesUp);

    /** An update of {@code ws} with staleness {@code tau} and factor {@code scale} was applied: counted, budgeted. */
    void applied(WorkerState ws, long tau, double scale);

    /** A submission of {@code ws} with staleness {@code tau} (rounds) entered the open round with factor {@code scale}. */
    void submitted(WorkerState ws, long tau, double scale);

    /** A round closed with one update: the update budget counts it. */
    void roundCounted();

    /** The step of {@code ws} ended, {@code applied} into the shared model or not: its observers, its listeners. */
    void ended(WorkerState ws, boolean applied, long tau, double scale);

    /**
     * A round-based step whose work was dropped (forced restart; with local SGD all its local steps since the last
     * submission): counted as rejected, never applied.
     */
    void discard(WorkerState ws);

    /** The shared model reached {@code version} by the update {@code ws} applied: stop conditions, evaluation. */
    void afterApply(WorkerState ws, long version);
}
