package org.dl4jasync.trainer;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.UUID;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.listener.RoutingIterationListener;

/**
 * One clone per worker of each {@link RoutingIterationListener} (DL4J's {@code StatsListener} and the like), as
 * ParallelWrapper makes them, but made once per trainer: worker w's clone keeps the worker id
 * {@code <trainer>_worker_<w>} for every {@code fit}, so DL4J's UI shows one session with m workers however many
 * times the trainer fits (ParallelWrapper makes new workers every fit: DL4J issue 4267). Each clone has the
 * original's session id and storage router.
 *
 * <p>Thread-safe (the trainer's {@code fit} calls may come from different threads, one at a time). A trainer's
 * number of workers is fixed by its configuration, so the clones of a listener are made for that many.
 */
final class RoutingClones {
    private final String trainerId = UUID.randomUUID().toString().substring(0, 8);
    /** Guarded by this. */
    private final Map<RoutingIterationListener, RoutingIterationListener[]> clones = new IdentityHashMap<>();

    /** Worker {@code w}'s clone of {@code original}, made on first use. */
    synchronized RoutingIterationListener of(RoutingIterationListener original, int w, int workers) {
        RoutingIterationListener[] c = clones.computeIfAbsent(original, o -> new RoutingIterationListener[workers]);
        if (c[w] == null) {
            RoutingIterationListener l = original.clone();
            l.setSessionID(original.getSessionID());
            l.setWorkerID(workerId(w));
            StatsStorageRouter router = original.getStorageRouter();
            if (router != null) {
                l.setStorageRouter(router);
            }
            c[w] = l;
        }
        return c[w];
    }

    /** Worker {@code w}'s id: the same for every fit of this trainer. */
    String workerId(int w) {
        return trainerId + "_worker_" + w;
    }
}
