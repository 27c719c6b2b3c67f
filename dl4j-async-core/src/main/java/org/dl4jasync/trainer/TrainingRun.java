package org.dl4jasync.trainer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jasync.dispatch.AsyncDispatcher;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.metrics.TracePoint;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.metrics.WorkerStats;
import org.dl4jasync.parameters.LeashedStore;
import org.dl4jasync.parameters.ParameterStore;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code fit}: starts the worker threads, runs the monitor on the calling thread (stop conditions, loss and
 * accuracy traces, t.progress), joins the t.workers and builds the report.
 *
 * <p>Shared-field protocols: {@link #stop} is set once (monitor or a failing worker) and polled by workers;
 * {@link #failure} holds the first failure (CAS from null); {@link #running} counts live workers; the monitor
 * reads the workers' {@link WorkerStats} volatile counters while they run and the rest after joining them.
 */
final class TrainingRun {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);
    private static final long MONITOR_PARK_NANOS = 2_000_000L;

    final AsyncTrainer t;
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
    /** Set once a worker's ticket is past the last epoch: every later ticket is too, so idle workers leave. */
    volatile boolean dataEnded;
    final AtomicInteger running = new AtomicInteger();
    final long t0 = System.nanoTime();
    final TrainingReport report = new TrainingReport();
    SyncRounds sync;

    TrainingRun(AsyncTrainer t, ParameterStore store, BatchSource source, int epochs) {
        this.t = t;
        this.store = store;
        this.source = source;
        this.epochs = epochs;
        this.dispatcher = t.algorithm == Algorithm.ASYNC ? t.dispatcherFactory.apply(t.workers) : new AsyncDispatcher(t.workers);
        if (t.elastic != null) {
            t.elastic.bind(dispatcher.active());
        }
        List<TrainingListener> all = new ArrayList<>();
        Set<TrainingListener> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (TrainingListener l : t.net.getListeners()) {
            if (seen.add(l)) {
                all.add(l);
            }
        }
        for (TrainingListener l : t.listeners) {
            if (seen.add(l)) {
                all.add(l);
            }
        }
        this.bridge = new ListenerBridge(t.net, List.copyOf(all), store, source);
        this.budget = new StepBudget(t.maxSteps);
        this.stats = new WorkerStats[t.workers];
        this.threads = new Thread[t.workers];
        for (int w = 0; w < t.workers; w++) {
            stats[w] = new WorkerStats(w);
        }
    }

    TrainingReport execute() {
        bridge.startFirstEpoch();
        if (t.algorithm == Algorithm.SYNC) {
            sync = new SyncRounds(this);
        }
        running.set(t.workers);
        for (int w = 0; w < t.workers; w++) {
            final int id = w;
            Thread th = new Thread(() -> workerMain(id), "dl4j-async-worker-" + w);
            th.setDaemon(true);
            threads[w] = th;
        }
        for (Thread th : threads) {
            th.start();
        }
        StopReason reason = monitorLoop();
        stop = true;
        dispatcher.active().wakeAll();
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
            Nd4j.getRandom().setSeed(t.seed + 7919L * (w + 1));
            if (t.algorithm == Algorithm.SYNC) {
                sync.worker(w);
            } else {
                new AsyncWorkerLoop(this, w).run();
            }
        } catch (Throwable e) {
            fail("worker " + w, e);
        } finally {
            // the thread ends here: free its workspaces now rather than whenever GC finds them
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
            running.decrementAndGet();
            LockSupport.unpark(monitor);
        }
    }

    /** A worker reached the end of the data: parked workers must leave too. */
    void dataEnded() {
        dataEnded = true;
        dispatcher.active().wakeAll();
    }

    void fail(String where, Throwable cause) {
        if (failure.compareAndSet(null, cause)) {
            failedWhere.set(where);
        }
        stop = true;
        dispatcher.active().wakeAll();
        if (sync != null) {
            sync.abort();
        }
        LockSupport.unpark(monitor);
    }

    private void joinWorkers() {
        for (Thread th : threads) {
            try {
                th.join(30_000);
                if (th.isAlive()) {
                    th.interrupt();
                    th.join(30_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Thread th : threads) {
            if (th.isAlive()) {
                throw new IllegalStateException("worker thread " + th.getName() + " did not stop");
            }
        }
    }

    // ---- monitor (the thread that called fit) ----

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
        nextLossAt = t.lossTraceEvery;
        nextEvalAt = t.evalEvery;
        long deadline = t.timeLimit == null ? Long.MAX_VALUE : t0 + t.timeLimit.toNanos();
        StopReason reason = null;
        while (true) {
            boolean done = allDone();
            if (failure.get() != null) {
                return null;
            }
            long now = System.nanoTime();
            long accepted = store.version();
            traceLoss(now, accepted, false);
            if (t.evalData != null && t.evalEvery > 0 && accepted >= nextEvalAt) {
                double acc = evaluate(accepted);
                nextEvalAt = (accepted / t.evalEvery + 1) * t.evalEvery;
                if (Double.isNaN(acc)) {
                    reason = StopReason.DIVERGED;
                    break;
                }
                if (!Double.isNaN(t.targetAccuracy) && acc >= t.targetAccuracy) {
                    timeToTarget = seconds(System.nanoTime());
                    reason = StopReason.TARGET_ACCURACY;
                    break;
                }
            }
            if (t.progress != null && now - lastProgress >= t.progressIntervalNanos) {
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

    /** Appends a loss-trace point when {@code lossTraceEvery} more updates were applied (or at the end). */
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
        nextLossAt = (accepted / t.lossTraceEvery + 1) * t.lossTraceEvery;
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
        t.progress.onProgress(seconds(now), accepted, plannedSteps(), recent,
                applied == 0 ? Double.NaN : (double) tauSum / applied);
    }

    private long plannedSteps() {
        long planned = Long.MAX_VALUE;
        if (t.maxSteps != Long.MAX_VALUE) {
            planned = t.maxSteps;
        }
        if (source instanceof InMemoryBatchSource && epochs != Integer.MAX_VALUE) {
            long perEpoch = ((InMemoryBatchSource) source).batchesPerEpoch();
            long total = t.algorithm == Algorithm.SYNC ? (perEpoch * epochs + t.workers - 1) / t.workers : perEpoch * epochs;
            planned = Math.min(planned, total);
        }
        return planned == Long.MAX_VALUE ? -1 : planned;
    }

    /** Accuracy of the latest parameters on the evaluation data, recorded in the accuracy trace. */
    private double evaluate(long accepted) {
        if (evalNet == null) {
            evalNet = new MultiLayerNetwork(t.net.getLayerWiseConfigurations().clone());
            evalNet.init(t.net.params().dup(), false);
        }
        store.copyLatestTo(evalNet.params());
        double acc = Accuracy.of(evalNet, t.evalData);
        if (!Double.isNaN(acc)) {
            report.accuracyTrace.add(new TracePoint(seconds(System.nanoTime()), accepted, acc));
        }
        return acc;
    }

    private TrainingReport finish(StopReason reason) {
        long end = System.nanoTime();
        bridge.finish();
        if (!store.sharesBufferWith(t.net)) {
            store.copyLatestTo(t.net.params());
        }
        long accepted = store.version(); // the version counts applied updates
        t.net.setIterationCount(bridge.baseIteration() + (int) accepted);
        t.net.setEpochCount(bridge.currentEpoch());

        TrainingReport r = report;
        r.algorithm = t.algorithm.name().toLowerCase(Locale.ROOT);
        r.store = t.algorithm == Algorithm.ASYNC ? t.storeKind.name().toLowerCase(Locale.ROOT) : null;
        r.stepSize = t.stepSize.name();
        r.workers = t.workers;
        r.stopReason = (reason == null ? StopReason.EPOCHS : reason).key();
        r.fillSteps(stats, accepted);
        if (t.noise != null) {
            r.ainTrace = t.noise.trace();
        }
        r.stepScale.policy = t.stepSize.describe();
        r.stepScale.normalized = t.stepSize.normalized();
        long activeNanos = 0;
        for (WorkerStats s : stats) {
            activeNanos += s.activeNanos;
            r.stepTimeSamples.add(s.stepTimeSamples());
        }
        if (t.algorithm == Algorithm.SYNC) {
            r.stepsStarted = accepted; // a sync "step" is a round: m gradients (batches_processed), one update
            r.acceptanceRate = accepted == 0 ? 0 : 1;
        }
        if (store instanceof LeashedStore) {
            r.failedCas = ((LeashedStore) store).failedCas();
        }
        r.wallSeconds = seconds(end);
        r.workerSeconds = activeNanos / 1e9;
        r.stepsPerSecond = r.wallSeconds > 0 ? accepted / r.wallSeconds : 0;
        r.epochsCompleted = bridge.epochsCompleted();
        traceLoss(end, accepted, true);
        if (t.evalData != null) {
            long lastEvalSteps = r.accuracyTrace.isEmpty() ? -1 : r.accuracyTrace.get(r.accuracyTrace.size() - 1).steps;
            double acc = lastEvalSteps == accepted
                    ? r.accuracyTrace.get(r.accuracyTrace.size() - 1).value
                    : evaluate(accepted);
            if (Double.isNaN(acc)) {
                r.stopReason = StopReason.DIVERGED.key(); // a diverged model has no accuracy to report
            } else {
                r.finalAccuracy = acc;
            }
            if (timeToTarget == null && !Double.isNaN(t.targetAccuracy) && acc >= t.targetAccuracy) {
                timeToTarget = r.accuracyTrace.get(r.accuracyTrace.size() - 1).seconds;
            }
        }
        r.timeToTargetSeconds = timeToTarget;
        if (t.progress != null) {
            reportProgress(end, accepted);
        }
        LOG.debug("fit finished: {} steps in {} s", accepted, r.wallSeconds);
        return r;
    }
}

