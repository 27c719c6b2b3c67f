package org.dl4jasync.trainer;

import java.util.List;
import java.util.function.IntFunction;

import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.metrics.AsynchronyNoise;
import org.dl4jasync.metrics.StepListener;
import org.dl4jasync.parallelism.ElasticController;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.stepsize.StepSizePolicy;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * What every run of a facade ({@link AsyncTrainer}, {@link Simulator}) is made of, as {@link RunBuilder#plan()}
 * fills it from a validated builder; not changed afterwards. The model, its listeners and the data are given to
 * {@link Run} beside it.
 */
final class RunPlan {
    Algorithm algorithm = Algorithm.ASYNC;
    ParameterStore.Kind storeKind = ParameterStore.Kind.HOGWILD;
    int persistence;
    int workers;
    IntFunction<Dispatcher> dispatcherFactory;
    StepSizePolicy stepSize;
    /** Null unless asynchrony noise is measured. */
    AsynchronyNoise noise;
    long seed;
    /** Applied updates at most ({@link Long#MAX_VALUE}: no bound). */
    long maxSteps = Long.MAX_VALUE;
    /** Null: no evaluation. */
    DataSetIterator evalData;
    /** Evaluate every this many applied updates; 0: only at the end. */
    long evalEvery;
    /** NaN: no target. */
    double targetAccuracy = Double.NaN;
    long lossTraceEvery = 50;
    List<StepListener> stepListeners = List.of();
    /** Null unless the active worker count is controlled (ElAsyncSGD). */
    ElasticController elastic;

    /** The updates are sums of several workers' gradients, one update per round (sync). */
    boolean aggregating() {
        return algorithm == Algorithm.SYNC;
    }
}
