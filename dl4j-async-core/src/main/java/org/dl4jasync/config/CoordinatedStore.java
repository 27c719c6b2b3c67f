package org.dl4jasync.config;

import org.dl4jasync.dispatch.DispatchSpec;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.dispatch.RoundBoard;
import org.dl4jasync.dispatch.RoundPolicy;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.parameters.StoreSpec;
import org.dl4jasync.spec.InvalidOptionException;

/**
 * A store that other processes train on too (the cluster module's store on a Hazelcast cluster): it also decides
 * how the run's workers are dispatched, so that an algorithm's rule (an interval's bound, a staleness bound) holds
 * across every process's workers, not just this one's.
 */
public interface CoordinatedStore extends StoreSpec {

    /**
     * Refuses an algorithm (or elastic parallelism) this store cannot coordinate across processes, with
     * {@link InvalidOptionException} naming the option; called when the run's options are built.
     */
    void checkDispatch(DispatchSpec dispatch, boolean elastic);

    /** The run's dispatcher for {@code dispatch} over {@code workers} workers of this process. */
    Dispatcher dispatcher(DispatchSpec dispatch, int workers);

    /**
     * The workers whose submissions fill a round-based algorithm's rounds when this process has {@code local}: the
     * bound of K and K0 and the m of the round policy (the default: this process's).
     */
    default int roundWorkers(int local) {
        return local;
    }

    /**
     * The rounds of a K-async or ABS run on {@code store} (which this spec made), shared with the other processes'
     * workers, under {@code policy} (the first process's policy is the training's); {@code progress} is called when a
     * round may have closed (waiting workers look again).
     */
    default RoundBoard rounds(RoundPolicy policy, ParameterStore store, int workers, Runnable progress) {
        throw new UnsupportedOperationException(key() + " keeps no rounds");
    }
}
