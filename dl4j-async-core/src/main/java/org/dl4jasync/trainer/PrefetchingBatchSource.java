package org.dl4jasync.trainer;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * Streams any {@link MultiDataSetIterator} (a {@code DataSetIterator} through DL4J's adapter) through a producer thread into a ring of {@code capacity} slots indexed by
 * ticket: slot {@code i % capacity} holds batch i. Every batch is copied out of workspaces before it is
 * published (the {@code AsyncDataSetIterator} pitfall). The iterator is used by the producer thread only, so
 * it need not be thread-safe; it is reset between epochs.
 *
 * <p>Protocols: {@link #slotTicket}[s] is the ticket whose batch is in slot s, or -1 when the slot is free; the
 * producer fills a free slot (batch first, then the ticket: a volatile write that publishes it) and the holder
 * of that ticket frees it in {@link #done}. {@link #endTicket} is -1 until the producer has produced its last
 * batch. Epoch ends are appended by the producer only; a reader first reads {@link #epochsKnown} (volatile)
 * and then the array.
 */
final class PrefetchingBatchSource implements BatchSource {
    /** Back-off of a waiting reader or producer: a few spins, then yields, then parks of 1 µs growing to 50 µs. */
    private static final long MAX_PARK_NANOS = 50_000;

    private final MultiDataSetIterator iterator;
    private final int epochs;
    private final int capacity;
    private final AtomicReferenceArray<MultiDataSet> slots;
    private final AtomicLongArray slotTicket;
    private volatile long endTicket = -1;
    private volatile long[] epochEnds = new long[16];
    private volatile int epochsKnown;
    private volatile Throwable failure;
    private volatile boolean closed;
    private final Thread producer;
    private final long skip;

    public PrefetchingBatchSource(MultiDataSetIterator iterator, int epochs, int capacity) {
        this(iterator, checkEpochs(epochs), capacity, 0);
    }

    private static int checkEpochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        return epochs;
    }

    /** @param skip batches of the first epoch already trained (a resumed run): read and dropped first */
    PrefetchingBatchSource(MultiDataSetIterator iterator, int epochs, int capacity, long skip) {
        if (epochs < 0) { // 0: a resumed run whose epochs were all trained before its checkpoint
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        if (capacity < 2) {
            throw new IllegalArgumentException("prefetch capacity must be >= 2, got " + capacity);
        }
        if (epochs > 1 && !iterator.resetSupported()) {
            throw new IllegalArgumentException("the iterator does not support reset(), so it cannot be used for "
                    + epochs + " epochs; use 1 epoch or an in-memory source");
        }
        this.iterator = iterator;
        this.epochs = epochs;
        this.capacity = capacity;
        this.slots = new AtomicReferenceArray<>(capacity);
        this.slotTicket = new AtomicLongArray(capacity);
        for (int s = 0; s < capacity; s++) {
            slotTicket.set(s, -1);
        }
        this.skip = skip;
        this.producer = new Thread(this::produce, "dl4j-async-prefetch");
        producer.setDaemon(true);
        producer.start();
    }

    private void produce() {
        IdleStrategy idle = backOff();
        long seq = 0;
        try {
            for (int e = 0; e < epochs && !closed; e++) {
                if (e > 0 || iterator.resetSupported()) {
                    iterator.reset();
                }
                long epochStart = seq;
                for (long k = e == 0 ? skip : 0; k > 0; k--) { // a resumed run: the batches trained before
                    if (!iterator.hasNext()) {
                        throw new IllegalArgumentException("the data set iterator has fewer batches per epoch than "
                                + "the resumed position " + skip);
                    }
                    iterator.next();
                }
                while (!closed && iterator.hasNext()) {
                    MultiDataSet ds = Batches.detachedCopy(iterator.next());
                    int s = (int) (seq % capacity);
                    idle.reset();
                    while (slotTicket.get(s) != -1) {
                        if (closed) {
                            return;
                        }
                        idle.idle();
                    }
                    slots.set(s, ds);
                    slotTicket.set(s, seq);
                    seq++;
                }
                if (closed) {
                    return;
                }
                if (seq == epochStart) {
                    throw new IllegalArgumentException("the data set iterator produced no batches in epoch " + e);
                }
                appendEpochEnd(seq);
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            endTicket = seq;
        }
    }

    private void appendEpochEnd(long end) {
        int k = epochsKnown;
        long[] a = epochEnds;
        if (k == a.length) {
            a = Arrays.copyOf(a, 2 * k);
        }
        a[k] = end;
        epochEnds = a;
        epochsKnown = k + 1;
    }

    private static IdleStrategy backOff() {
        return new BackoffIdleStrategy(10, 20, 1_000, MAX_PARK_NANOS);
    }

    @Override
    public MultiDataSet batch(long ticket) throws InterruptedException {
        int s = (int) (ticket % capacity);
        if (slotTicket.get(s) == ticket) {
            return slots.get(s); // the usual case: prefetched
        }
        IdleStrategy idle = backOff(); // only a reader that has to wait allocates its back-off state
        for (; ; ) {
            if (slotTicket.get(s) == ticket) {
                return slots.get(s);
            }
            Throwable f = failure;
            if (f != null) {
                throw new IllegalStateException("reading the data set iterator failed: " + f, f);
            }
            long end = endTicket;
            if ((end >= 0 && ticket >= end) || closed) {
                return null;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            idle.idle();
        }
    }

    @Override
    public void done(long ticket) {
        int s = (int) (ticket % capacity);
        if (slotTicket.get(s) == ticket) {
            slots.set(s, null);
            slotTicket.set(s, -1);
        }
    }

    @Override
    public long epochEnd(int epoch) {
        if (epoch < epochsKnown) {
            return epochEnds[epoch];
        }
        return UNKNOWN;
    }

    @Override
    public int epochs() {
        return epochs;
    }

    @Override
    public void close() {
        closed = true;
        try {
            producer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
