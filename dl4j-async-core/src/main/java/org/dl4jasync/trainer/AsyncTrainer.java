package org.dl4jasync.trainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jasync.dispatch.AsyncDispatcher;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.metrics.StepListener;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parameters.LeashedStore;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.metrics.AsynchronyNoise;
import org.dl4jasync.parallelism.ElasticController;
import org.dl4jasync.stepsize.ConstantStepSize;
import org.dl4jasync.stepsize.StepSizePolicy;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a DL4J {@link MultiLayerNetwork} with asynchronous parallel SGD on one machine: a drop-in replacement
 * for DL4J's {@code ParallelWrapper} with the same models, iterators and listeners, where workers never wait
 * for each other and the staleness of every applied update is measured.
 *
 * <pre>{@code
 * AsyncTrainer trainer = new AsyncTrainer.Builder(net).workers(4).store(ParameterStore.Kind.HOGWILD).build();
 * trainer.fit(trainIterator, 5);
 * }</pre>
 *
 * <p>Each worker owns a replica of the network and its own DL4J updater state (momentum, Adam moments): the
 * model's configured updater turns each gradient into an update on the worker, and the update is applied to the
 * shared parameters. After {@code fit} the original network holds the trained parameters and correct iteration
 * and epoch counts, and its listeners plus the trainer's have received {@code iterationDone} for every applied
 * update and {@code onEpochStart/End} for every epoch.
 *
 * <p>Not thread-safe: one {@code fit} at a time. The worker threads of a {@code fit} end before it returns.
 */
public final class AsyncTrainer implements AutoCloseable {

    /** How {@code fit} reads the iterator. */
    public enum DataMode {
        /** Read everything once into detached copies; batch order is a seeded permutation per epoch. */
        IN_MEMORY,
        /** Stream through a prefetching producer thread; batch order is the iterator's. */
        PREFETCH
    }

    final MultiLayerNetwork net;
    final Algorithm algorithm;
    final ParameterStore.Kind storeKind;
    final int workers;
    final int persistence;
    final IntFunction<Dispatcher> dispatcherFactory;
    final StepSizePolicy stepSize;
    /** Null unless asynchrony noise is measured. */
    final AsynchronyNoise noise;
    /** Protocol: the running fit's store, or null; written by the thread calling fit, read by monitors. */
    private volatile ParameterStore currentStore;
    final long seed;
    final long maxSteps;
    final Duration timeLimit;
    final DataSetIterator evalData;
    final long evalEvery;
    final double targetAccuracy;
    final DataMode dataMode;
    final int prefetch;
    final boolean shuffle;
    final long lossTraceEvery;
    final boolean singleThreadedOps;
    final List<TrainingListener> listeners = new CopyOnWriteArrayList<>();
    final List<StepListener> stepListeners;
    /** Null unless the active worker count is controlled (ElAsyncSGD). */
    final ElasticController elastic;
    final ProgressListener progress;
    final long progressIntervalNanos;

    private boolean closed;

    private AsyncTrainer(Builder b) {
        this.net = b.net;
        this.algorithm = b.algorithm;
        this.storeKind = b.storeKind;
        this.workers = b.algorithm == Algorithm.SEQUENTIAL ? 1 : b.workers;
        this.persistence = b.persistence;
        this.dispatcherFactory = b.dispatcherFactory;
        this.stepSize = b.stepSize;
        this.noise = b.noise;
        this.seed = b.seed;
        this.maxSteps = b.maxSteps;
        this.timeLimit = b.timeLimit;
        this.evalData = b.evalData;
        this.evalEvery = b.evalEvery;
        this.targetAccuracy = b.targetAccuracy;
        this.dataMode = b.dataMode;
        this.prefetch = b.prefetch;
        this.shuffle = b.shuffle;
        this.lossTraceEvery = b.lossTraceEvery;
        this.singleThreadedOps = b.singleThreadedOps;
        this.listeners.addAll(b.listeners);
        List<StepListener> sl = new ArrayList<>(b.stepListeners);
        if (b.elastic != null) {
            sl.add(b.elastic);
        }
        this.stepListeners = List.copyOf(sl);
        this.elastic = b.elastic;
        this.progress = b.progress;
        this.progressIntervalNanos = b.progressInterval.toNanos();
    }

    /** Adds DL4J listeners; honoured by every later {@code fit} (unlike ParallelWrapper, nothing is dropped). */
    public void addListeners(TrainingListener... more) {
        for (TrainingListener l : more) {
            listeners.add(Objects.requireNonNull(l, "listener"));
        }
    }

    public void setListeners(TrainingListener... all) {
        listeners.clear();
        addListeners(all);
    }

    public List<TrainingListener> getListeners() {
        return Collections.unmodifiableList(listeners);
    }

    /** One epoch (as {@code MultiLayerNetwork.fit(iterator)}), or less if another stop condition comes first. */
    public TrainingReport fit(DataSetIterator data) {
        return fit(data, 1);
    }

    /**
     * Trains for {@code epochs} passes over {@code data} ({@link Integer#MAX_VALUE}: until another stop condition),
     * or less if max steps, the time limit or the target accuracy comes first.
     *
     * @throws TrainingFailedException when a worker fails; every worker thread has been stopped
     */
    public TrainingReport fit(DataSetIterator data, int epochs) {
        if (closed) {
            throw new IllegalStateException("trainer is closed");
        }
        Objects.requireNonNull(data, "data");
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        int savedThreads = Nd4j.getEnvironment().maxThreads();
        if (singleThreadedOps && workers > 1) {
            Nd4j.getEnvironment().setMaxThreads(1);
        }
        BatchSource source = dataMode == DataMode.IN_MEMORY
                ? new InMemoryBatchSource(InMemoryBatchSource.load(data), epochs, seed, shuffle)
                : new PrefetchingBatchSource(data, epochs, Math.max(prefetch, 2) + 2 * workers);
        ParameterStore store = newStore();
        try {
            TrainingRun run = new TrainingRun(this, store, source, epochs);
            currentStore = store;
            return run.execute();
        } finally {
            currentStore = null;
            source.close();
            store.close();
            if (singleThreadedOps && workers > 1) {
                Nd4j.getEnvironment().setMaxThreads(savedThreads);
            }
        }
    }

    /**
     * Copies the current parameters into {@code destination}: during {@code fit} from the shared store (consistent
     * for the locked and CAS-published stores), otherwise from the network. Thread-safe; for monitors such as
     * {@link org.dl4jasync.metrics.HeldOutLossMonitor}.
     */
    public void copyLatestParams(INDArray destination) {
        ParameterStore s = currentStore;
        if (s != null) {
            s.copyLatestTo(destination);
        } else {
            destination.assign(net.params());
        }
    }

    private ParameterStore newStore() {
        // both baselines have one writer at a time: the in-place store is exact for them
        return ParameterStore.create(algorithm == Algorithm.ASYNC ? storeKind : ParameterStore.Kind.HOGWILD, net,
                workers, persistence);
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Builder in DL4J style: {@code new AsyncTrainer.Builder(net).workers(4).build()}. */
    public static final class Builder {
        private final MultiLayerNetwork net;
        private Algorithm algorithm = Algorithm.ASYNC;
        private ParameterStore.Kind storeKind = ParameterStore.Kind.HOGWILD;
        private int workers = Runtime.getRuntime().availableProcessors();
        private int persistence = LeashedStore.UNBOUNDED;
        private IntFunction<Dispatcher> dispatcherFactory = AsyncDispatcher::new;
        private StepSizePolicy stepSize = ConstantStepSize.INSTANCE;
        private AsynchronyNoise noise;
        private long seed = 12345;
        private long maxSteps = Long.MAX_VALUE;
        private Duration timeLimit;
        private DataSetIterator evalData;
        private long evalEvery;
        private double targetAccuracy = Double.NaN;
        private DataMode dataMode = DataMode.IN_MEMORY;
        private int prefetch = 8;
        private boolean shuffle = true;
        private long lossTraceEvery = 50;
        private boolean singleThreadedOps = true;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private final List<StepListener> stepListeners = new ArrayList<>();
        private ElasticController elastic;
        private ProgressListener progress;
        private Duration progressInterval = Duration.ofMillis(250);

        /**
         * @param model an initialised {@link MultiLayerNetwork}; a {@link ComputationGraph} is rejected
         */
        public Builder(Model model) {
            if (model == null) {
                throw new IllegalArgumentException("model is null");
            }
            if (model instanceof ComputationGraph) {
                throw new IllegalArgumentException("ComputationGraph is not supported yet: AsyncTrainer trains a "
                        + "MultiLayerNetwork");
            }
            if (!(model instanceof MultiLayerNetwork)) {
                throw new IllegalArgumentException("model must be a MultiLayerNetwork, got "
                        + model.getClass().getName());
            }
            MultiLayerNetwork n = (MultiLayerNetwork) model;
            if (!n.isInitCalled() || n.getLayers() == null || n.params() == null || n.params().length() == 0) {
                throw new IllegalArgumentException("the network is not initialised: call net.init() before "
                        + "building the trainer");
            }
            this.net = n;
        }

        public Builder algorithm(Algorithm a) {
            this.algorithm = Objects.requireNonNull(a, "algorithm");
            return this;
        }

        /** Parameter-store semantics for {@link Algorithm#ASYNC} (default HOGWILD). */
        public Builder store(ParameterStore.Kind kind) {
            this.storeKind = Objects.requireNonNull(kind, "store");
            return this;
        }

        /** Worker threads, ≥ 1 (default: available processors). */
        public Builder workers(int m) {
            if (m < 1) {
                throw new IllegalArgumentException("workers must be >= 1, got " + m);
            }
            this.workers = m;
            return this;
        }

        /** Failed CAS attempts allowed per update in the LEASHED store: ≥ 0 or {@link LeashedStore#UNBOUNDED} (default). */
        public Builder persistence(int p) {
            if (p < 0) {
                throw new IllegalArgumentException("persistence must be >= 0 or unbounded, got " + p);
            }
            this.persistence = p;
            return this;
        }

        /** The dispatcher for {@link Algorithm#ASYNC}, created per fit from the worker count (default: plain async). */
        public Builder dispatcher(IntFunction<Dispatcher> factory) {
            this.dispatcherFactory = Objects.requireNonNull(factory, "dispatcher");
            return this;
        }

        /**
         * Elastic parallelism (ElAsyncSGD): {@code controller} sets the number of active workers of every fit
         * (it is bound to the fit's dispatcher and sees every step); built for m̂ = {@link #workers(int)}. Its loss
         * monitor must be fed too (e.g. add an {@code EmaLossMonitor} as a step listener).
         */
        public Builder elastic(ElasticController controller) {
            this.elastic = Objects.requireNonNull(controller, "controller");
            return this;
        }

        /**
         * Measures the asynchrony-induced noise ‖ξ‖ of applied updates (off by default; slows the run when on).
         */
        public Builder asynchronyNoise(AsynchronyNoise n) {
            this.noise = n;
            return this;
        }

        /**
         * Scales each applied update by a factor of its staleness (default {@link ConstantStepSize}). The policy
         * keeps state (the observed staleness distribution): give each trainer its own instance.
         */
        public Builder stepSize(StepSizePolicy policy) {
            this.stepSize = Objects.requireNonNull(policy, "stepSize");
            return this;
        }

        /** Seeds batch order and each worker's ND4J random generator. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Stop after this many applied updates (exact), ≥ 1. */
        public Builder maxSteps(long n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxSteps must be >= 1, got " + n);
            }
            this.maxSteps = n;
            return this;
        }

        /** Stop after this much wall time (positive). */
        public Builder timeLimit(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeLimit must be positive, got " + d);
            }
            this.timeLimit = d;
            return this;
        }

        /** Evaluate accuracy on {@code data} every {@code everySteps} applied updates (accuracy trace). */
        public Builder evaluation(DataSetIterator data, long everySteps) {
            if (data == null) {
                throw new IllegalArgumentException("evaluation data is null");
            }
            if (everySteps < 0) {
                throw new IllegalArgumentException("evaluation interval must be >= 0 steps (0: only at the end), got "
                        + everySteps);
            }
            this.evalData = data;
            this.evalEvery = everySteps;
            return this;
        }

        /** Stop once accuracy on the evaluation data reaches {@code accuracy} in (0, 1]; needs {@link #evaluation}. */
        public Builder targetAccuracy(double accuracy) {
            if (!(accuracy > 0 && accuracy <= 1)) {
                throw new IllegalArgumentException("target accuracy must be in (0, 1], got " + accuracy);
            }
            this.targetAccuracy = accuracy;
            return this;
        }

        public Builder dataMode(DataMode mode) {
            this.dataMode = Objects.requireNonNull(mode, "dataMode");
            return this;
        }

        /** Batches read ahead by the {@link DataMode#PREFETCH} producer, ≥ 1. */
        public Builder prefetch(int batches) {
            if (batches < 1) {
                throw new IllegalArgumentException("prefetch must be >= 1, got " + batches);
            }
            this.prefetch = batches;
            return this;
        }

        /** Shuffle batch order per epoch in {@link DataMode#IN_MEMORY} (default true). */
        public Builder shuffle(boolean s) {
            this.shuffle = s;
            return this;
        }

        /** A loss-trace point every this many applied updates, ≥ 1 (default 50). */
        public Builder lossTraceEvery(long steps) {
            if (steps < 1) {
                throw new IllegalArgumentException("lossTraceEvery must be >= 1, got " + steps);
            }
            this.lossTraceEvery = steps;
            return this;
        }

        /** Run ND4J ops single-threaded while several workers train (default true: workers are the parallelism). */
        public Builder singleThreadedOps(boolean b) {
            this.singleThreadedOps = b;
            return this;
        }

        public Builder listeners(TrainingListener... ls) {
            for (TrainingListener l : ls) {
                listeners.add(Objects.requireNonNull(l, "listener"));
            }
            return this;
        }

        public Builder stepListener(StepListener l) {
            stepListeners.add(Objects.requireNonNull(l, "stepListener"));
            return this;
        }

        public Builder progress(ProgressListener l, Duration interval) {
            this.progress = Objects.requireNonNull(l, "progress");
            this.progressInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        public AsyncTrainer build() {
            if (!Double.isNaN(targetAccuracy) && evalData == null) {
                throw new IllegalArgumentException("targetAccuracy needs evaluation data: call evaluation(iterator, "
                        + "everySteps)");
            }
            if (!Double.isNaN(targetAccuracy) && evalEvery == 0) {
                throw new IllegalArgumentException("targetAccuracy needs an evaluation interval >= 1 step");
            }
            if (elastic != null && algorithm != Algorithm.ASYNC) {
                throw new IllegalArgumentException("elastic parallelism controls the ASYNC algorithm's workers; "
                        + "got " + algorithm);
            }
            if (elastic != null && elastic.maxWorkers() != workers) {
                throw new IllegalArgumentException("the elastic controller was built for m̂ = " + elastic.maxWorkers()
                        + " workers but the trainer has " + workers + "; build it with the same count");
            }
            if (algorithm != Algorithm.ASYNC && stepSize != ConstantStepSize.INSTANCE) {
                throw new IllegalArgumentException("step-size policy " + stepSize.name() + " scales updates by their "
                        + "staleness, which only the ASYNC algorithm has; use ConstantStepSize with " + algorithm);
            }
            MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
            for (int i = 0; i < conf.getConfs().size(); i++) {
                org.deeplearning4j.nn.conf.layers.Layer l = conf.getConf(i).getLayer();
                if (l.getConstraints() != null && !l.getConstraints().isEmpty()) {
                    throw new IllegalArgumentException("layer " + i + " has parameter constraints, which the "
                            + "asynchronous trainer does not apply yet; remove them or use net.fit");
                }
            }
            if (algorithm == Algorithm.ASYNC && storeKind == ParameterStore.Kind.LEASHED) {
                LeashedStore.checkSupported(conf); // fail at build time, not at fit time
            }
            return new AsyncTrainer(this);
        }
    }
}
