package org.dl4jasync.cluster;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one process's store put on the network and got back, and how long its calls took. Bytes are the payloads of
 * its operations (the floats and numbers they carry), not Hazelcast's framing and headers, nor the backups the owners
 * send on. Counted by every worker thread; sums are exact once the workers are done.
 */
final class ClusterTraffic {
    private final LongAdder sent = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder applies = new LongAdder();
    private final LongAdder applyNanos = new LongAdder();
    private final LongAdder reads = new LongAdder();
    private final LongAdder readNanos = new LongAdder();

    void sent(long bytes) {
        sent.add(bytes);
    }

    void received(long bytes) {
        received.add(bytes);
    }

    /** An update's apply (ticket and every shard) took {@code nanos}. */
    void applied(long nanos) {
        applies.increment();
        applyNanos.add(nanos);
    }

    /** A read (clock and every shard) took {@code nanos}. */
    void read(long nanos) {
        reads.increment();
        readNanos.add(nanos);
    }

    long sentBytes() {
        return sent.sum();
    }

    long receivedBytes() {
        return received.sum();
    }

    /** Mean apply latency in milliseconds, or null before the first. */
    Double applyMillis() {
        long n = applies.sum();
        return n == 0 ? null : applyNanos.sum() / 1e6 / n;
    }

    /** Mean read latency in milliseconds, or null before the first. */
    Double readMillis() {
        long n = reads.sum();
        return n == 0 ? null : readNanos.sum() / 1e6 / n;
    }
}
