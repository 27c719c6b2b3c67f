package org.dl4jasync.trainer;

import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * {@code GETBATCH(i)}: the batch of a step is chosen by its start ticket, so a seeded run is reproducible in
 * which batches are used. Ticket {@code i} is the i-th batch of the epoch-by-epoch sequence. Thread-safe.
 *
 * <p>Every batch handed out is detached from workspaces and read-only: several workers may read it.
 */
interface BatchSource extends AutoCloseable {

    /** Returned by {@link #epochEnd} while the end of an epoch is not known yet. */
    long UNKNOWN = -1L;

    /**
     * The batch of ticket {@code ticket}, or null when the ticket is past the last epoch. May block while the
     * batch is being produced. A caller that obtained a ticket must call {@link #done} for it exactly once.
     */
    MultiDataSet batch(long ticket) throws InterruptedException;

    /** The worker that holds {@code ticket} no longer needs its batch. */
    void done(long ticket);

    /** Number of tickets in epochs 0..{@code epoch} (the first ticket of the next epoch), or {@link #UNKNOWN}. */
    long epochEnd(int epoch);

    /** Number of epochs the source will produce ({@link Integer#MAX_VALUE}: until stopped). */
    int epochs();

    @Override
    void close();
}
