package org.dl4jasync.config;

import org.dl4jasync.dispatch.DispatchSpec;
import org.dl4jasync.dispatch.Dispatcher;
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
}
