package org.dl4jasync.dispatch;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The rounds of K-async, AdaSync and ABS kept outside this process, so that the workers of several processes fill one
 * sequence of rounds (the cluster module's store provides one). The engine's rounds ({@code KAsyncRounds}) keep
 * everything else as in one process: the staleness factor, local steps, the wait of a worker that submitted until
 * its round has closed, the counts and listeners.
 *
 * <p>A submission is two calls: {@link #take} decides, atomically for the whole training, the round it enters and
 * its staleness in rounds, or that its worker restarts (its base lags more than S rounds), and whether it completes
 * the round (then K and S of the next round are decided); {@link #deposit} then adds the scaled update to that
 * round. A round is applied, as the average of its submissions and as one version, once every submission it counted
 * is deposited, wherever that happens; {@link #closedAfter} tells when.
 *
 * <p>Thread-safe: called by every worker of this process concurrently.
 */
public interface RoundBoard {
    /**
     * Where a submission went.
     *
     * @param round      the round it entered (counted from 0 over the training), or −1: its worker restarts
     * @param tau        its staleness: rounds entered since the rounds its base held
     * @param closedWith &gt; 0 when it completed its round: the round's number of submissions; else 0
     * @param k          K at the board after this submission (of the next round when it closed one)
     * @param s          S (the most rounds a base may lag) at the board after this submission
     * @param meanLoss   when it closed a round: the mean minibatch loss of the round's submissions (NaN if unknown)
     */
    record Entry(long round, long tau, int closedWith, int k, long s, double meanLoss) {
        public boolean restarts() {
            return round < 0;
        }

        public boolean closes() {
            return closedWith > 0;
        }
    }

    /**
     * Rounds applied to the parameters (the version a base is counted in), as this process last learned it: what a
     * worker that read now would read at least.
     */
    long closed();

    /**
     * Whether round {@code round} has been applied. A worker that submitted to it waits until it has; when it has
     * not after the store's timeout, this throws naming the members lost (a round whose submitter died between its
     * {@link #take} and its {@link #deposit} never completes).
     */
    boolean closedAfter(long round);

    /** S at the board as this process last learned it (for local steps' own check between submissions). */
    long maxRoundsBehind();

    /** Enters a submission whose gradient read the parameters of {@code base} rounds; {@code loss}: NaN if unknown. */
    Entry take(long base, double loss);

    /** Adds {@code factor · update} to round {@code entry.round()}; returns when it is deposited. */
    void deposit(Entry entry, INDArray update, double factor);

    /**
     * Rounds this process completed by a departure (a leave of its workers, or its removal of a lost member): counted
     * as its own in the report, like the rounds its submissions completed, so the processes' counts add up to the
     * rounds applied. Exact once {@link #ended} has returned.
     */
    long completedByDepartures();

    /** A copy of the board's round policy as it is now (K, S, AdaSync's schedule): what a checkpoint keeps. */
    RoundPolicy policy();

    /**
     * A resumed run's policy (restored from its checkpoint), before its workers start: the board takes it when no
     * round has been entered yet (the first process's resume decides, as its policy did at the start).
     */
    void restore(RoundPolicy policy);

    /** A worker of this process has stopped for good: the rounds no longer wait for it. */
    void left();

    /** Every worker of this process has stopped (whatever the outcome): its workers leave, resources are released. */
    void ended();
}
