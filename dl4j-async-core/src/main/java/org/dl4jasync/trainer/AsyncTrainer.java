package org.dl4jasync.trainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jasync.dispatch.AsyncDispatcher;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.metrics.StalenessHistogram;
import org.dl4jasync.metrics.TracePoint;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.metrics.WorkerStats;
import org.dl4jasync.parameters.HogwildStore;
import org.dl4jasync.parameters.LeashedStore;
import org.dl4jasync.parameters.LockedStore;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.stepsize.ConstantStepSize;
import org.dl4jasync.stepsize.StepSizePolicy;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger log = LoggerFactory.getLogger(AsyncTrainer.class);
    private static final long MONITOR_PARK_NANOS = 2_000_000L;

    /** How {@code fit} reads the iterator. */
    public enum DataMode {
        /** Read everything once into detached copies; batch order is a seeded permutation per epoch. */
        IN_MEMORY,
        /** Stream through a prefetching producer thread; batch order is the iterator's. */
        PREFETCH
    }

    private final MultiLayerNetwork net;
    private final Algorithm algorithm;
    private final ParameterStore.Kind storeKind;
    private final int workers;
    private final int persistence;
    private final IntFunction<Dispatcher> dispatcherFactory;
    private final StepSizePolicy stepSize;
    private final long seed;
    private final long maxSteps;
    private final Duration timeLimit;
    private final DataSetIterator evalData;
    private final long evalEvery;
    private final double targetAccuracy;
    private final DataMode dataMode;
    private final int prefetch;
    private final boolean shuffle;
    private final long lossTraceEvery;
    private final boolean singleThreadedOps;
    private final List<TrainingListener> listeners = new CopyOnWriteArrayList<>();
    private final List<StepListener> stepListeners;
    private final ProgressListener progress;
    private final long progressIntervalNanos;

    private TrainingReport lastReport;
    private ParameterStore lastStore;
    private boolean closed;

    private AsyncTrainer(Builder b) {
        this.net = b.net;
        this.algorithm = b.algorithm;
        this.storeKind = b.storeKind;
        this.workers = b.algorithm == Algorithm.SEQUENTIAL ? 1 : b.workers;
        this.persistence = b.persistence;
        this.dispatcherFactory = b.dispatcherFactory;
        this.stepSize = b.stepSize;
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
        this.stepListeners = List.copyOf(b.stepListeners);
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

    public int workers() {
        return workers;
    }

    /** The report of the last {@code fit}, or null. */
    public TrainingReport lastReport() {
        return lastReport;
    }

    /** The store of the last {@code fit} (closed; its counters stay readable), or null. */
    public ParameterStore lastStore() {
        return lastStore;
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
            Run run = new Run(store, source, epochs);
            lastReport = run.execute();
            lastStore = store;
            return lastReport;
        } finally {
            source.close();
            store.close();
            if (singleThreadedOps && workers > 1) {
                Nd4j.getEnvironment().setMaxThreads(savedThreads);
            }
        }
    }

    private ParameterStore newStore() {
        if (algorithm != Algorithm.ASYNC) {
            return new HogwildStore(net); // one writer at a time in both baselines
        }
        switch (storeKind) {
            case HOGWILD:
                return new HogwildStore(net);
            case LOCKED:
                return new LockedStore(net);
            case LEASHED:
                return new LeashedStore(net, workers, persistence);
            default:
                throw new IllegalStateException("store " + storeKind);
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    /** One {@code fit}: its threads, counters and report. */
    private final class Run {
        final ParameterStore store;
        final BatchSource source;
        final int epochs;
        final Dispatcher dispatcher;
        final ListenerBridge bridge;
        final StepBudget budget;
        final WorkerStats[] stats;
        final Thread[] threads;
        final Thread monitor = Thread.currentThread();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicReference<String> failedWhere = new AtomicReference<>();
        volatile boolean stop;
        final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        final long t0 = System.nanoTime();
        final TrainingReport report = new TrainingReport();
        SyncRounds sync;

        Run(ParameterStore store, BatchSource source, int epochs) {
            this.store = store;
            this.source = source;
            this.epochs = epochs;
            this.dispatcher = algorithm == Algorithm.ASYNC ? dispatcherFactory.apply(workers) : new AsyncDispatcher(workers);
            List<TrainingListener> all = new ArrayList<>();
            Set<TrainingListener> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (TrainingListener l : net.getListeners()) {
                if (seen.add(l)) {
                    all.add(l);
                }
            }
            for (TrainingListener l : listeners) {
                if (seen.add(l)) {
                    all.add(l);
                }
            }
            this.bridge = new ListenerBridge(net, List.copyOf(all), store, source);
            this.budget = new StepBudget(maxSteps);
            this.stats = new WorkerStats[workers];
            this.threads = new Thread[workers];
            for (int w = 0; w < workers; w++) {
                stats[w] = new WorkerStats(w);
            }
        }

        TrainingReport execute() {
            bridge.startFirstEpoch();
            if (algorithm == Algorithm.SYNC) {
                sync = new SyncRounds(this);
            }
            running.set(workers);
            for (int w = 0; w < workers; w++) {
                final int id = w;
                Thread t = new Thread(() -> workerMain(id), "dl4j-async-worker-" + w);
                t.setDaemon(true);
                threads[w] = t;
            }
            for (Thread t : threads) {
                t.start();
            }
            StopReason reason = monitorLoop();
            stop = true;
            if (sync != null) {
                sync.abort();
            }
            joinWorkers();
            Throwable f = failure.get();
            if (f != null) {
                throw new TrainingFailedException("training failed in " + failedWhere.get(), f);
            }
            return finish(reason);
        }

        private void workerMain(int w) {
            try {
                Nd4j.getRandom().setSeed(seed + 7919L * (w + 1));
                if (algorithm == Algorithm.SYNC) {
                    sync.worker(w);
                } else {
                    new AsyncWorker(this, w).run();
                }
            } catch (Throwable t) {
                fail("worker " + w, t);
            } finally {
                running.decrementAndGet();
                LockSupport.unpark(monitor);
            }
        }

        void fail(String where, Throwable t) {
            if (failure.compareAndSet(null, t)) {
                failedWhere.set(where);
            }
            stop = true;
            if (sync != null) {
                sync.abort();
            }
            LockSupport.unpark(monitor);
        }

        private void joinWorkers() {
            for (Thread t : threads) {
                try {
                    t.join(30_000);
                    if (t.isAlive()) {
                        t.interrupt();
                        t.join(30_000);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            for (Thread t : threads) {
                if (t.isAlive()) {
                    throw new IllegalStateException("worker thread " + t.getName() + " did not stop");
                }
            }
        }

        // ---- monitor (the thread that called fit) ----

        private long lossSteps;
        private double lossSumSeen;
        private long lossCountSeen;
        private long nextLossAt;
        private long nextEvalAt;
        private long lastProgress;
        private double progressLossSum;
        private long progressLossCount;
        private MultiLayerNetwork evalNet;
        private Double timeToTarget;

        private StopReason monitorLoop() {
            nextLossAt = lossTraceEvery;
            nextEvalAt = evalEvery;
            long deadline = timeLimit == null ? Long.MAX_VALUE : t0 + timeLimit.toNanos();
            StopReason reason = null;
            while (true) {
                boolean done = allDone();
                if (failure.get() != null) {
                    return null;
                }
                long now = System.nanoTime();
                long accepted = store.version();
                traceLoss(now, accepted, false);
                if (evalData != null && evalEvery > 0 && accepted >= nextEvalAt) {
                    double acc = evaluate(accepted);
                    nextEvalAt = (accepted / evalEvery + 1) * evalEvery;
                    if (!Double.isNaN(targetAccuracy) && acc >= targetAccuracy) {
                        timeToTarget = seconds(System.nanoTime());
                        reason = StopReason.TARGET_ACCURACY;
                        break;
                    }
                }
                if (progress != null && now - lastProgress >= progressIntervalNanos) {
                    reportProgress(now, accepted);
                }
                if (budget.exhausted()) {
                    reason = StopReason.MAX_STEPS;
                    break;
                }
                if (done) {
                    break;
                }
                if (now >= deadline) {
                    reason = StopReason.TIME_LIMIT;
                    break;
                }
                LockSupport.parkNanos(MONITOR_PARK_NANOS);
            }
            return reason;
        }

        private boolean allDone() {
            return running.get() == 0;
        }

        private double seconds(long nanos) {
            return (nanos - t0) / 1e9;
        }

        /** Appends a loss-trace point when {@link #lossTraceEvery} more updates were applied (or at the end). */
        private void traceLoss(long now, long accepted, boolean force) {
            if (!force && accepted < nextLossAt) {
                return;
            }
            double sum = 0;
            long count = 0;
            for (WorkerStats s : stats) {
                count += s.lossCount;
                sum += s.lossSum;
            }
            long dc = count - lossCountSeen;
            if (dc > 0) {
                report.lossTrace.add(new TracePoint(seconds(now), accepted, (sum - lossSumSeen) / dc));
            }
            lossSumSeen = sum;
            lossCountSeen = count;
            nextLossAt = (accepted / lossTraceEvery + 1) * lossTraceEvery;
        }

        private void reportProgress(long now, long accepted) {
            lastProgress = now;
            double sum = 0;
            long count = 0;
            long tauSum = 0;
            long applied = 0;
            for (WorkerStats s : stats) {
                sum += s.lossSum;
                count += s.lossCount;
                tauSum += s.stalenessSum;
                applied += s.applied;
            }
            double recent = count > progressLossCount ? (sum - progressLossSum) / (count - progressLossCount) : Double.NaN;
            progressLossSum = sum;
            progressLossCount = count;
            progress.onProgress(seconds(now), accepted, plannedSteps(), recent,
                    applied == 0 ? Double.NaN : (double) tauSum / applied);
        }

        private long plannedSteps() {
            long planned = Long.MAX_VALUE;
            if (maxSteps != Long.MAX_VALUE) {
                planned = maxSteps;
            }
            if (source instanceof InMemoryBatchSource && epochs != Integer.MAX_VALUE) {
                long perEpoch = ((InMemoryBatchSource) source).batchesPerEpoch();
                long total = algorithm == Algorithm.SYNC ? (perEpoch * epochs + workers - 1) / workers : perEpoch * epochs;
                planned = Math.min(planned, total);
            }
            return planned == Long.MAX_VALUE ? -1 : planned;
        }

        /** Accuracy of the latest parameters on the evaluation data, recorded in the accuracy trace. */
        private double evaluate(long accepted) {
            if (evalNet == null) {
                evalNet = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
                evalNet.init(net.params().dup(), false);
            }
            store.copyLatestTo(evalNet.params());
            evalData.reset();
            Evaluation e = evalNet.evaluate(evalData);
            double acc = e.accuracy();
            report.accuracyTrace.add(new TracePoint(seconds(System.nanoTime()), accepted, acc));
            return acc;
        }

        private TrainingReport finish(StopReason reason) {
            long end = System.nanoTime();
            bridge.finish();
            if (!store.sharesBufferWith(net)) {
                store.copyLatestTo(net.params());
            }
            long accepted = store.version(); // the version counts applied updates
            net.setIterationCount(bridge.baseIteration() + (int) accepted);
            net.setEpochCount(bridge.currentEpoch());

            TrainingReport r = report;
            r.algorithm = algorithm.name().toLowerCase(Locale.ROOT);
            r.store = algorithm == Algorithm.ASYNC ? storeKind.name().toLowerCase(Locale.ROOT) : null;
            r.stepSize = stepSize.name();
            r.workers = workers;
            r.stopReason = (reason == null ? StopReason.EPOCHS : reason).key();
            StalenessHistogram all = new StalenessHistogram();
            long started = 0;
            long rejected = 0;
            long dropped = 0;
            long activeNanos = 0;
            double scaleSum = 0;
            double scaleMin = Double.POSITIVE_INFINITY;
            double scaleMax = Double.NEGATIVE_INFINITY;
            for (WorkerStats s : stats) {
                all.merge(s.staleness);
                started += s.started;
                rejected += s.rejected;
                dropped += s.dropped;
                activeNanos += s.activeNanos;
                scaleSum += s.scaleSum;
                scaleMin = Math.min(scaleMin, s.scaleMin);
                scaleMax = Math.max(scaleMax, s.scaleMax);
            }
            r.batchesProcessed = started;
            if (algorithm == Algorithm.SYNC) {
                started = accepted; // a sync "step" is a round: m gradients, one update
            }
            r.stepsStarted = started;
            r.stepsAccepted = accepted;
            r.stepsRejected = rejected;
            r.stepsDropped = dropped;
            r.acceptanceRate = started == 0 ? 0 : (double) accepted / started;
            r.staleness.fill(all);
            if (all.total() > 0) {
                r.stepScale.mean = scaleSum / all.total();
                r.stepScale.min = scaleMin;
                r.stepScale.max = scaleMax;
            }
            r.wallSeconds = seconds(end);
            r.workerSeconds = activeNanos / 1e9;
            r.stepsPerSecond = r.wallSeconds > 0 ? accepted / r.wallSeconds : 0;
            r.epochsCompleted = bridge.epochsCompleted();
            traceLoss(end, accepted, true);
            if (evalData != null) {
                long lastEvalSteps = r.accuracyTrace.isEmpty() ? -1 : r.accuracyTrace.get(r.accuracyTrace.size() - 1).steps;
                double acc = lastEvalSteps == accepted
                        ? r.accuracyTrace.get(r.accuracyTrace.size() - 1).value
                        : evaluate(accepted);
                r.finalAccuracy = acc;
                if (timeToTarget == null && !Double.isNaN(targetAccuracy) && acc >= targetAccuracy) {
                    timeToTarget = r.accuracyTrace.get(r.accuracyTrace.size() - 1).seconds;
                }
            }
            r.timeToTargetSeconds = timeToTarget;
            if (progress != null) {
                reportProgress(end, accepted);
            }
            log.debug("fit finished: {} steps in {} s", accepted, r.wallSeconds);
            return r;
        }
    }

    /** The asynchronous worker loop: the per-step hot path. */
    private final class AsyncWorker {
        private final Run run;
        private final int w;

        AsyncWorker(Run run, int w) {
            this.run = run;
            this.w = w;
        }

        void run() throws InterruptedException {
            final Run r = run;
            final WorkerStats st = r.stats[w];
            final org.dl4jasync.parameters.WorkerView view = r.store.newWorkerView(w);
            final MultiLayerNetwork replica = view.replica();
            final org.deeplearning4j.nn.api.Updater updater = replica.getUpdater();
            final org.deeplearning4j.nn.workspace.LayerWorkspaceMgr noWs =
                    org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces();
            final RecordingScaler scaler = new RecordingScaler(stepSize);
            final Dispatcher dispatcher = r.dispatcher;
            final BatchSource source = r.source;
            final StepBudget budget = r.budget;
            final List<StepListener> stepLs = stepListeners;
            final long begin = System.nanoTime();
            long idleNanos = 0;
            int idleRounds = 0;
            try {
                while (!r.stop) {
                    if (!budget.tryAcquire()) {
                        if (budget.exhausted()) {
                            break;
                        }
                        LockSupport.parkNanos(50_000); // in-flight steps may still give permits back
                        continue;
                    }
                    long ticket = dispatcher.tryStartStep(w);
                    if (ticket == Dispatcher.NOT_NOW) {
                        budget.giveBack();
                        long t = System.nanoTime();
                        idle(idleRounds++);
                        idleNanos += System.nanoTime() - t;
                        continue;
                    }
                    idleRounds = 0;
                    org.nd4j.linalg.dataset.DataSet ds;
                    try {
                        ds = source.batch(ticket);
                    } catch (RuntimeException | InterruptedException e) {
                        source.done(ticket);
                        throw e;
                    }
                    if (ds == null) { // past the last epoch
                        source.done(ticket);
                        budget.giveBack();
                        break;
                    }
                    st.started++;
                    long readVersion = view.read();
                    double loss;
                    try {
                        replica.setInput(ds.getFeatures());
                        replica.setLabels(ds.getLabels());
                        replica.setLayerMaskArrays(ds.getFeaturesMaskArray(), ds.getLabelsMaskArray());
                        replica.computeGradientAndScore();
                        loss = replica.score();
                        updater.update(replica, replica.gradient(), r.bridge.baseIteration() + (int) readVersion,
                                r.bridge.currentEpoch(), (int) ds.getFeatures().size(0), noWs);
                    } finally {
                        view.release();
                        source.done(ticket);
                    }
                    st.recordLoss(loss);
                    boolean applied = false;
                    long tau = -1;
                    double scale = 0;
                    if (dispatcher.finishStep(w, ticket)) {
                        INDArray update = replica.getGradientsViewArray();
                        tau = view.apply(update, readVersion, scaler);
                        if (tau == org.dl4jasync.parameters.WorkerView.DROPPED) {
                            st.dropped++;
                            budget.giveBack();
                            tau = -1;
                        } else {
                            applied = true;
                            scale = scaler.last;
                            stepSize.observe(tau);
                            st.recordApplied(tau, scale);
                            budget.applied();
                            r.bridge.iterationDone(readVersion + tau, loss);
                        }
                        dispatcher.afterApply(w, ticket);
                    } else {
                        st.rejected++;
                        budget.giveBack();
                    }
                    for (int k = 0; k < stepLs.size(); k++) {
                        stepLs.get(k).onStep(w, ticket, applied, tau, scale, loss);
                    }
                    r.bridge.stepFinished();
                }
            } finally {
                st.activeNanos = System.nanoTime() - begin - idleNanos;
            }
        }

        /** Back-off while not allowed to start: spin briefly, then park (an inactive worker uses no CPU). */
        private void idle(int rounds) {
            if (rounds < 16) {
                Thread.onSpinWait();
            } else if (rounds < 32) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(Math.min(1_000_000L, 10_000L << Math.min(rounds - 32, 7)));
            }
        }
    }

    /** Remembers the factor the store asked for, so the worker can record it. */
    private static final class RecordingScaler implements org.dl4jasync.parameters.StepScaler {
        private final StepSizePolicy policy;
        double last;

        RecordingScaler(StepSizePolicy policy) {
            this.policy = policy;
        }

        @Override
        public double factor(long staleness) {
            double f = policy.factor(staleness);
            last = f;
            return f;
        }
    }

    /**
     * Synchronous data-parallel rounds: in round r worker w computes the gradient of ticket r·m + w on the same
     * parameters; after a barrier worker 0 averages the m raw gradients into its own, runs its DL4J updater once
     * and applies the update; after a second barrier the next round starts. Each replica is used by its own
     * thread only.
     */
    private final class SyncRounds {
        private final Run run;
        private final java.util.concurrent.CyclicBarrier gradientsReady;
        private final java.util.concurrent.CyclicBarrier updateApplied;
        private final MultiLayerNetwork[] replicas = new MultiLayerNetwork[workers];
        private final int[] batchSize = new int[workers];
        /** Written by worker 0 between the barriers, read by all after the second one. */
        private volatile boolean finished;

        SyncRounds(Run run) {
            this.run = run;
            this.gradientsReady = new java.util.concurrent.CyclicBarrier(workers);
            this.updateApplied = new java.util.concurrent.CyclicBarrier(workers);
        }

        void abort() {
            gradientsReady.reset();
            updateApplied.reset();
        }

        void worker(int w) throws Exception {
            final Run r = run;
            final WorkerStats st = r.stats[w];
            final long begin = System.nanoTime();
            final org.dl4jasync.parameters.WorkerView view = r.store.newWorkerView(w); // views the one buffer
            final MultiLayerNetwork replica = view.replica();
            replicas[w] = replica;
            final org.deeplearning4j.nn.workspace.LayerWorkspaceMgr noWs =
                    org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces();
            try {
                for (long round = 0; ; round++) {
                    long ticket = round * workers + w;
                    org.nd4j.linalg.dataset.DataSet ds = r.stop ? null : r.source.batch(ticket);
                    batchSize[w] = 0;
                    if (ds != null) {
                        st.started++;
                        try {
                            replica.setInput(ds.getFeatures());
                            replica.setLabels(ds.getLabels());
                            replica.setLayerMaskArrays(ds.getFeaturesMaskArray(), ds.getLabelsMaskArray());
                            replica.computeGradientAndScore();
                            st.recordLoss(replica.score());
                            batchSize[w] = (int) ds.getFeatures().size(0);
                        } finally {
                            r.source.done(ticket);
                        }
                    } else {
                        r.source.done(ticket);
                    }
                    if (!await(gradientsReady)) {
                        return;
                    }
                    if (w == 0) {
                        combineAndApply(r, st, view, noWs);
                    }
                    if (!await(updateApplied) || finished) {
                        return;
                    }
                }
            } finally {
                st.activeNanos = System.nanoTime() - begin;
            }
        }

        private void combineAndApply(Run r, WorkerStats st, org.dl4jasync.parameters.WorkerView view,
                                     org.deeplearning4j.nn.workspace.LayerWorkspaceMgr noWs) {
            int count = 0;
            for (int k = 0; k < workers; k++) {
                if (batchSize[k] > 0) {
                    count++;
                }
            }
            // tickets are consecutive, so a round with any data has data at worker 0
            if (count == 0 || batchSize[0] == 0) {
                finished = true;
                return;
            }
            MultiLayerNetwork master = replicas[0];
            INDArray g = master.getGradientsViewArray();
            for (int k = 1; k < workers; k++) {
                if (batchSize[k] > 0) {
                    g.addi(replicas[k].getGradientsViewArray());
                }
            }
            if (count > 1) {
                g.divi(count);
            }
            long index = r.store.version();
            master.getUpdater().update(master, master.gradient(), r.bridge.baseIteration() + (int) index,
                    r.bridge.currentEpoch(), batchSize[0], noWs);
            // One writer per round, between barriers: the HOGWILD store's apply is exact here (τ = 0).
            view.apply(g, index, org.dl4jasync.parameters.StepScaler.UNIT);
            st.recordApplied(0, 1.0);
            r.budget.applied();
            r.bridge.iterationDone(index, master.score());
            for (int k = 0; k < count; k++) {
                r.bridge.stepFinished();
            }
            if (count < workers || r.stop || r.budget.exhausted()) {
                finished = true;
            }
        }

        private boolean await(java.util.concurrent.CyclicBarrier b) throws InterruptedException {
            try {
                b.await();
                return true;
            } catch (java.util.concurrent.BrokenBarrierException e) {
                return false; // another worker failed or the run was stopped
            }
        }
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
