package org.dl4jasync.dispatch;

import org.dl4jasync.metrics.ReportBuilder;

/**
 * The policy of the round-based asynchronous algorithms (K-async, AdaSync, ABS): how many submissions close the
 * current round, and how many rounds a submission's base model may lag the latest before its worker is forced to
 * drop its work and restart. The rounds themselves (collecting, averaging, applying, waiting) are the engine's
 * ({@code KAsyncRounds}); a policy only decides numbers.
 *
 * <p>Not thread-safe: the rounds call it under their own lock, one call at a time, in round order. On a cluster the
 * policy lives in one entry at its owner ({@code RoundBoard}): the built-in ones are {@link java.io.Serializable} for
 * that.
 */
public interface RoundPolicy {
    /** K for the current round: submissions that close it, in [1, m]. */
    int k();

    /** S for the current round: the most rounds a submission's base may lag ({@link Long#MAX_VALUE}: no bound). */
    long maxRoundsBehind();

    /** A submission entered the current round; {@code loss} is its minibatch loss (NaN when unknown). */
    void submitted(double loss);

    /** The current round closed; K and S of the next round are decided now. */
    void roundClosed();

    /** The report's algorithm label, e.g. {@code kasync}. */
    String label();

    /** Whether K changes during the run (the report then carries {@code k_trace}). */
    boolean adaptiveK();

    /** Records the policy's settings in the report's config. */
    default void report(ReportBuilder report) {}
}
