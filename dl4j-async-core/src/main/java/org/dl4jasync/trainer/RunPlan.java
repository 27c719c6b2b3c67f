package org.dl4jasync.trainer;

import java.util.List;
import java.util.function.IntFunction;

import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.metrics.AsynchronyNoise;
import org.dl4jasync.metrics.StepListener;
import org.dl4jasync.model.TrainableModel;
import org.dl4jasync.parallelism.ElasticController;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.stepsize.StepSizePolicy;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * What one run is made of, as both facades ({@link AsyncTrainer}, {@link Simulator}) hand it to {@link Run}: filled
 * from a validated builder and not changed afterwards.
 */
final class RunPlan {
    Algorithm algorithm = Algorithm.ASYNC;
    TrainableModel model;
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
    List<TrainingListener> listeners = List.of();
    List<StepListener> stepListeners = List.of();
    /** Null unless the active worker count is controlled (ElAsyncSGD). */
    ElasticController elastic;

    /** A copy (the facades complete one per run). */
    RunPlan copy() {
        RunPlan p = new RunPlan();
        p.algorithm = algorithm;
        p.model = model;
        p.storeKind = storeKind;
        p.persistence = persistence;
        p.workers = workers;
        p.dispatcherFactory = dispatcherFactory;
        p.stepSize = stepSize;
        p.noise = noise;
        p.seed = seed;
        p.maxSteps = maxSteps;
        p.evalData = evalData;
        p.evalEvery = evalEvery;
        p.targetAccuracy = targetAccuracy;
        p.lossTraceEvery = lossTraceEvery;
        p.listeners = listeners;
        p.stepListeners = stepListeners;
        p.elastic = elastic;
        return p;
    }

    /** The updates are sums of several workers' gradients, one update per round (sync). */
    boolean aggregating() {
        return algorithm == Algorithm.SYNC;
    }
}
