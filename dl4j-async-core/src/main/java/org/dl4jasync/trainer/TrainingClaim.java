package org.dl4jasync.trainer;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A network's claim to be trained by one run at a time: two runs on one network at once (two threads calling
 * {@code fit} on one trainer, two trainers, a trainer and a simulation) would overwrite each other's parameters and
 * lose one run's updates silently, so the second is refused, as DL4J's networks are not for concurrent use.
 *
 * <p>Protocol: {@link #CLAIMED} holds the networks of the runs in progress, by identity; a run adds its network
 * before it is built and removes it when it has ended (the set's own lock, twice per run, never on the hot path).
 */
final class TrainingClaim implements AutoCloseable {
    private static final Set<Object> CLAIMED =
            Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private final Object net;

    private TrainingClaim(Object net) {
        this.net = net;
    }

    /**
     * Claims {@code net} (null: nothing to claim) until {@link #close}.
     *
     * @throws IllegalStateException when another run is training it
     */
    static TrainingClaim of(Object net) {
        if (net != null && !CLAIMED.add(net)) {
            throw new IllegalStateException("this network is being trained by another fit or simulation (another "
                    + "thread, this trainer or another): one at a time per network, or one's updates would be lost");
        }
        return new TrainingClaim(net);
    }

    @Override
    public void close() {
        if (net != null) {
            CLAIMED.remove(net);
        }
    }
}
