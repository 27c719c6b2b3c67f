package org.dl4jasync.trainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jasync.checkpoint.CheckpointDirectory;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.config.RunOptions;
import org.dl4jasync.metrics.StopReason;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.model.TrainableModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.adapter.MultiDataSetIteratorAdapter;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a DL4J {@link MultiLayerNetwork} or {@link ComputationGraph} with asynchronous parallel SGD on one machine:
 * a drop-in replacement for DL4J's {@code ParallelWrapper} with the same models, iterators ({@link DataSetIterator},
 * and {@link MultiDataSetIterator} for graphs of several inputs or outputs) and listeners, where workers never wait
 * for each other and the staleness of every applied update is measured.
 *
 * <pre>{@code
 * AsyncTrainer trainer = new AsyncTrainer.Builder(net).workers(4).store(ParameterStore.Kind.HOGWILD).build();
 * trainer.fit(trainIterator, 5);
 * }</pre>
 *
 * <p>Each worker owns a replica of the network; the model's configured DL4J updater turns each accepted gradient
 * into an update, with the worker's own updater state ({@code OptimizerState.PER_WORKER}, the default) or, inside
 * the store as it applies, with one state beside the shared parameters ({@code OptimizerState.SHARED}). The state
 * lives as long as the model: the workers start from the network's updater state (at a later {@code fit} on this
 * trainer each from its own, unless the network's state changed in between), and after {@code fit} the network's
 * updater holds the training's state (the workers' mean, or the shared state), so {@code ModelSerializer},
 * {@code CheckpointListener}, early stopping and {@code net.fit} see it. With one worker {@code fit} called k times
 * is {@code net.fit} called k times, bit for bit (with {@code shuffle(false)}). After {@code fit} the original network holds the trained parameters and correct iteration
 * and epoch counts, and its listeners plus the trainer's have received {@code iterationDone} for every applied
 * update, {@code onEpochStart/End} for every epoch and the pass events of every computed minibatch (routing listeners
 * such as {@code StatsListener}: one clone per worker, the same for every fit).
 *
 * <p>The same run on m virtual workers in virtual time: {@link Simulator}. Not thread-safe: one {@code fit} at a
 * time. The worker threads of a {@code fit} end before it returns.
 */
public final class AsyncTrainer implements AutoCloseable {

    /** How {@code fit} reads the iterator. */
    public enum DataMode {
        /** Read everything once into detached copies; batch order is a seeded permutation per epoch. */
        IN_MEMORY,
        /** Stream through a prefetching producer thread; batch order is the iterator's. */
        PREFETCH
    }

    private final Model net;
    private final TrainableModel model;
    private final RunConfig config;
    private final double timeLimitSeconds;
    private final DataMode dataMode;
    private final int prefetch;
    private final boolean shuffle;
    private final boolean singleThreadedOps;
    private final List<TrainingListener> listeners = new CopyOnWriteArrayList<>();
    /** Per-worker clones of routing listeners (StatsListener), kept across fits: stable worker ids. */
    private final RoutingClones routingClones = new RoutingClones();
    /** Each worker's optimizer state between fits (per-worker mode). */
    private final OptimizerStates optimizerStates = new OptimizerStates();

    private final ProgressListener progress;
    private final long progressIntervalNanos;
    /** Protocol: the running fit's run, or null; written by the thread calling fit, read by stopFit and monitors. */
    private volatile Run currentRun;

    /** The run in progress, or null (tests). */
    Run runInProgress() {
        return currentRun;
    }
    /** Protocol: set once by close (any thread), read by fit before it starts a run. */
    private volatile boolean closed;

    private AsyncTrainer(Builder b) {
        this.net = b.net;
        this.model = b.model;
        this.config = b.config;
        this.timeLimitSeconds = config.timeLimit().map(d -> d.toNanos() / 1e9).orElse(Double.POSITIVE_INFINITY);
        this.dataMode = b.dataMode;
        this.prefetch = b.prefetch;
        this.shuffle = b.shuffle;
        this.singleThreadedOps = b.singleThreadedOps;
        this.listeners.addAll(b.listeners);
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

    /**
     * The configured epochs ({@link RunConfig#epochs(int)}: without any stop condition one epoch, as
     * {@code MultiLayerNetwork.fit(iterator)}), or less if another stop condition comes first.
     */
    public TrainingReport fit(DataSetIterator data) {
        return fit(data, config.epochs(1));
    }

    /** As {@link #fit(DataSetIterator)}, for a graph with several inputs or outputs (DL4J's {@code fit(MultiDataSetIterator)}). */
    public TrainingReport fit(MultiDataSetIterator data) {
        return fit(data, config.epochs(1));
    }

    /** The model this trainer trains (it holds the trained parameters after {@code fit}). */
    public Model model() {
        return net;
    }

    /**
     * The network this trainer trains, when it is a {@link MultiLayerNetwork}.
     *
     * @throws IllegalStateException when the trainer trains a {@link ComputationGraph} (see {@link #model()})
     */
    public MultiLayerNetwork network() {
        if (!(net instanceof MultiLayerNetwork)) {
            throw new IllegalStateException(
                    "this trainer trains a " + net.getClass().getSimpleName() + "; use model()");
        }
        return (MultiLayerNetwork) net;
    }

    /** The run's configuration (the report's {@code config} is its provenance). */
    public RunConfig config() {
        return config;
    }

    /**
     * Trains for {@code epochs} passes over {@code data} ({@link Integer#MAX_VALUE}: until another stop condition),
     * or less if max steps, the time limit or the target accuracy comes first.
     *
     * @throws TrainingFailedException when a worker fails; every worker thread has been stopped
     * @throws IllegalStateException when the trainer is closed, or the network is being trained by another
     *                               {@code fit} (of this trainer from another thread, or of another trainer) or
     *                               simulation: one run at a time per network, as DL4J's networks
     */
    public TrainingReport fit(DataSetIterator data, int epochs) {
        Objects.requireNonNull(data, "data");
        return fit(
                dataMode == DataMode.IN_MEMORY ? null : new MultiDataSetIteratorAdapter(data),
                epochs,
                () -> InMemoryBatchSource.load(data));
    }

    /**
     * As {@link #fit(DataSetIterator, int)}, for a graph with several inputs or outputs (DL4J's
     * {@code fit(MultiDataSetIterator, int)}); each batch has one array per graph input and output.
     */
    public TrainingReport fit(MultiDataSetIterator data, int epochs) {
        Objects.requireNonNull(data, "data");
        return fit(dataMode == DataMode.IN_MEMORY ? null : data, epochs, () -> InMemoryBatchSource.load(data));
    }

    /** {@code stream} (prefetch mode) or the batches {@code load} reads (in-memory mode). */
    private TrainingReport fit(MultiDataSetIterator stream, int epochs, Supplier<List<MultiDataSet>> load) {
        if (closed) {
            throw new IllegalStateException("trainer is closed");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        try (TrainingClaim claim = TrainingClaim.of(net)) {
            return fitAlone(stream, epochs, load);
        }
    }

    /** {@link #fit(MultiDataSetIterator, int, java.util.function.Supplier)} with the network to itself. */
    private TrainingReport fitAlone(MultiDataSetIterator stream, int epochs, Supplier<List<MultiDataSet>> load) {
        config.checkpointDir().ifPresent(CheckpointDirectory::checkWritable); // before anything trains
        int m = config.workers();
        List<MultiDataSet> batches = stream == null ? load.get() : null;
        String fingerprint = batches == null ? null : DataFingerprint.of(batches);
        Resume resume = config.resumeFrom()
                .map(dir ->
                        CheckpointResume.load(dir, model, config, batches == null ? -1 : batches.size(), fingerprint))
                .orElse(null);
        // a resumed run trains up to its own epoch count: none left when the checkpoint had them all
        int left = resume == null || epochs == Integer.MAX_VALUE ? epochs : Math.max(0, epochs - resume.epochsDone);
        long skip = resume == null ? 0 : resume.position;
        int savedThreads = Nd4j.getEnvironment().maxThreads();
        if (singleThreadedOps && m > 1) {
            Nd4j.getEnvironment().setMaxThreads(1);
        }
        BatchSource source = batches != null
                ? new InMemoryBatchSource(batches, left, config.seed(), shuffle, model.epochCount(), skip)
                : new PrefetchingBatchSource(stream, left, Math.max(prefetch, 2) + 2 * m, skip);
        try {
            // a resumed run's clock starts where the checkpoint's stood: one time axis over the whole training
            long origin = System.nanoTime() - (resume == null ? 0 : (long) (resume.seconds * 1e9));
            Run run = Run.onThreads(
                    config,
                    model,
                    allListeners(),
                    routingClones,
                    source,
                    new PausingClock(origin),
                    resume,
                    optimizerStates,
                    fingerprint);
            currentRun = run;
            try {
                return new ThreadEngine(run, timeLimitSeconds, progress, progressIntervalNanos).execute();
            } finally {
                if (run.checkpoints != null) {
                    run.checkpoints.close();
                }
                run.store.close();
            }
        } finally {
            currentRun = null;
            source.close();
            if (singleThreadedOps && m > 1) {
                Nd4j.getEnvironment().setMaxThreads(savedThreads);
            }
        }
    }

    /** The network's own listeners, then the trainer's, each once. */
    private List<TrainingListener> allListeners() {
        List<TrainingListener> all = new ArrayList<>();
        Set<TrainingListener> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (TrainingListener l : model.listeners()) {
            if (seen.add(l)) {
                all.add(l);
            }
        }
        for (TrainingListener l : listeners) {
            if (seen.add(l)) {
                all.add(l);
            }
        }
        return List.copyOf(all);
    }

    /**
     * Copies the current parameters into {@code destination}: during {@code fit} from the shared store (consistent
     * for the locked and CAS-published stores), otherwise from the network. Thread-safe: for a listener or monitor
     * of the user's that looks at the parameters while the workers train.
     */
    public void copyLatestParams(INDArray destination) {
        Run r = currentRun;
        if (r != null) {
            r.store.copyLatestTo(destination);
        } else {
            destination.assign(net.params());
        }
    }

    /**
     * Ends the running {@code fit} early, as ParallelWrapper's {@code stopFit}: callable from any thread, including
     * a listener inside {@code fit}. No worker starts another step; the steps already in flight finish as their
     * algorithm says (an accepted update is applied); then every worker stops and {@code fit} returns its report
     * (stop reason {@link org.dl4jasync.metrics.StopReason#STOPPED} unless another condition came first), with the
     * network holding the last applied parameters. No effect when no {@code fit} is running.
     */
    public void stopFit() {
        Run r = currentRun;
        if (r != null) {
            r.stop(StopReason.STOPPED);
        }
    }

    /**
     * Closes the trainer: a running {@code fit} ends as with {@link #stopFit()} (callable from any thread), and
     * {@code fit} refuses to start afterwards. The network keeps the last applied parameters.
     */
    @Override
    public void close() {
        closed = true;
        stopFit();
    }

    /** Builder in DL4J style: {@code new AsyncTrainer.Builder(net).workers(4).build()}. */
    public static final class Builder extends RunOptions<Builder> {
        private final Model net;
        private final TrainableModel model;
        private RunConfig config;
        private DataMode dataMode = DataMode.IN_MEMORY;
        private int prefetch = 8;
        private boolean shuffle = true;
        private boolean singleThreadedOps = true;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private ProgressListener progress;
        private Duration progressInterval = Duration.ofMillis(250);

        /**
         * @param model an initialised {@link MultiLayerNetwork} or {@link ComputationGraph} (trained in place)
         * @throws IllegalArgumentException for another kind of model, an uninitialised one, or one with parameter
         *                                  constraints (not applied by the asynchronous trainer)
         */
        public Builder(Model model) {
            this.model = TrainableModel.of(model);
            this.net = model;
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

        public Builder progress(ProgressListener l, Duration interval) {
            this.progress = Objects.requireNonNull(l, "progress");
            this.progressInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        public AsyncTrainer build() {
            config = freeze();
            config.checkRunnable();
            if (config.virtualTimeLimit().isPresent()) {
                throw new IllegalArgumentException(
                        "a virtual time limit stops a Simulator; give the trainer a " + "timeLimit");
            }
            if (config.store().needsRebindableModel()) {
                model.checkRebindable(); // fail at build time, not at fit time
            }
            config.checkpointDir().ifPresent(CheckpointDirectory::checkWritable); // and again at every fit
            WorkerLimits.checkThreads(config, model);
            return new AsyncTrainer(this);
        }
    }
}
