package org.dl4jasync.cluster;

import java.util.concurrent.atomic.LongAdder;

/**
 * The bytes one process's store put on the network and got back: the payloads of its operations (the floats and
 * numbers they carry), not Hazelcast's framing, headers and backups. Counted by every worker thread; read at any time
 * (sums are exact once the workers are done).
 */
final class ClusterTraffic {
    private final LongAdder sent = new LongAdder();
    private final LongAdder received = new LongAdder();

    void sent(long bytes) {
        sent.add(bytes);
    }

    void received(long bytes) {
        received.add(bytes);
    }

    long sentBytes() {
        return sent.sum();
    }

    long receivedBytes() {
        return received.sum();
    }
}
