package org.dl4jasync.trainer;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.dl4jasync.dispatch.Waiters;
import org.dl4jasync.metrics.StopReason;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.metrics.WorkerStats;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a {@link Run} on m worker threads: each calls the step protocol's {@code begin} and {@code complete} back to
 * back and parks in the run's {@link Waiters} when it may not start; with a {@link PausingClock} it passes the
 * clock's gate around each step (evaluation pauses). The calling thread watches the time limit (on the run's clock:
 * training time), reports progress and joins the workers; a worker's failure stops the others and is rethrown as
 * {@link TrainingFailedException}.
 *
 * <p>Shared-field protocols: {@link #failure} holds the first failure (CAS from null); {@link #running} counts live
 * workers (the last one to leave unparks the calling thread).
 */
final class ThreadEngine {
    /** How often the calling thread looks at the time limit and the progress. */
    private static final long WATCH_NANOS = 2_000_000L;

    private final Run run;
    private final double timeLimit;
    private final ProgressListener progress;
    private final long progressIntervalNanos;
    private final Thread[] threads;
    private final Thread caller = Thread.currentThread();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile String failedWhere;
    private final AtomicInteger running = new AtomicInteger();

    /** @param timeLimit seconds on the run's clock, or +∞ */
    ThreadEngine(Run run, double timeLimit, ProgressListener progress, long progressIntervalNanos) {
        this.run = run;
        this.timeLimit = timeLimit;
        this.progress = progress;
        this.progressIntervalNanos = progressIntervalNanos;
        this.threads = new Thread[run.m];
    }

    TrainingReport execute() {
        progressLoss = new RecentLoss(run.stats); // before any step: its first reading covers the run's first steps
        int m = threads.length;
        running.set(m);
        for (int w = 0; w < m; w++) {
            final int id = w;
            Thread th = new Thread(() -> workerMain(id), "dl4j-async-worker-" + w);
            th.setDaemon(true);
            threads[w] = th;
        }
        for (Thread th : threads) {
            th.start();
        }
        boolean interrupted = watch();
        interrupted |= joinWorkers();
        try {
            return finish();
        } finally {
            if (interrupted) {
                // kept for the caller, as it was given; set only now, so that the final checkpoint, the
                // evaluation and the report are not cut short by it (waits and interruptible channels)
                Thread.currentThread().interrupt();
            }
        }
    }

    /** After every worker has stopped: the optimizer state, the final checkpoint and the report. */
    private TrainingReport finish() {
        run.ended();
        run.optimizer.writeBack(); // every worker has stopped: the exact state, also after a failure
        Throwable f = failure.get();
        if (f != null) {
            TrainingFailedException failed = new TrainingFailedException("training failed in " + failedWhere, f);
            try {
                run.bridge.showFinalState(run.store.applied()); // the network keeps what was applied before the failure
            } catch (RuntimeException unreadable) { // the store failed too (a cluster lost): the failure stays the news
                failed.addSuppressed(unreadable);
            }
            throw failed;
        }
        if (run.checkpoints != null) {
            run.checkpoints.finish(run.monitor); // the end state, before the report closes the epoch in progress
        }
        double end = seconds();
        TrainingReport r = ReportAssembler.assemble(run, end, end, false);
        if (run.checkpoints != null) {
            r = run.checkpoints.describe(r);
        }
        if (progress != null) {
            reportProgress(r.stepsAccepted());
        }
        return r;
    }

    private double seconds() {
        return run.clock.getAsDouble();
    }

    private void workerMain(int w) {
        WorkerState ws = null;
        try {
            Nd4j.getRandom().setSeed(run.config.seed() + 7919L * (w + 1));
            ws = run.newWorker(w);
            loop(ws);
        } catch (Throwable e) {
            fail("worker " + w, e);
        } finally {
            if (ws != null) {
                ws.ended(run.clock.getAsDouble());
            }
            // the thread ends here: free its workspaces now rather than whenever GC finds them
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
            if (running.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    /** The worker's hot path: the step protocol, back to back; wait parked when it may not start. */
    private void loop(WorkerState ws) throws InterruptedException {
        final Run r = run;
        final StepProtocol steps = r.steps;
        final WorkerStats st = ws.stats;
        final Waiters waiters = r.waiters;
        final int w = ws.id;
        final BooleanSupplier proceed = () -> steps.mayProceed(w);
        final PausingClock gate = r.pausing;
        final BooleanSupplier stopping = r::stopping;
        for (; ; ) {
            if (gate != null) {
                gate.enterStep(stopping);
            }
            int s;
            try {
                long start = System.nanoTime();
                s = steps.begin(ws);
                if (s == Run.STARTED) {
                    st.recordStepTime((System.nanoTime() - start) / 1e9);
                    steps.complete(ws);
                }
            } finally {
                if (gate != null) {
                    gate.exitStep();
                }
            }
            if (s == Run.STARTED) {
                continue;
            }
            if (s == Run.WAIT) {
                ws.waitStarts(r.clock.getAsDouble());
                waiters.await(w, proceed);
                ws.waitEnds(r.clock.getAsDouble());
            } else {
                return;
            }
        }
    }

    private void fail(String where, Throwable cause) {
        if (failure.compareAndSet(null, cause)) {
            failedWhere = where;
        }
        run.abort();
        LockSupport.unpark(caller);
    }

    /**
     * On the calling thread until every worker has left: the time limit, the progress, and the caller's interrupt,
     * which stops the run ({@link StopReason#INTERRUPTED}); returns whether it came (its status is cleared here so
     * that joining the workers can wait, and restored by {@link #execute}).
     */
    private boolean watch() {
        long lastProgress = 0;
        boolean interrupted = false;
        while (running.get() > 0 && failure.get() == null) {
            long now = System.nanoTime();
            if (Thread.interrupted()) {
                interrupted = true;
                run.stop(StopReason.INTERRUPTED);
            }
            if (seconds() >= timeLimit) {
                run.stop(StopReason.TIME_LIMIT);
            }
            if (progress != null && now - lastProgress >= progressIntervalNanos) {
                lastProgress = now;
                reportProgress(run.acceptedBefore + run.store.applied());
            }
            LockSupport.parkNanos(WATCH_NANOS);
        }
        return interrupted || Thread.interrupted();
    }

    /**
     * Waits for every worker thread to end (a worker still alive after 30 s is interrupted, then waited for again);
     * an interrupt of the calling thread meanwhile stops the run and is remembered, not obeyed: the workers end
     * within a step. Returns whether such an interrupt came.
     */
    private boolean joinWorkers() {
        boolean interrupted = false;
        for (Thread th : threads) {
            boolean askedToEnd = false;
            while (th.isAlive()) {
                try {
                    th.join(30_000);
                    if (th.isAlive() && !askedToEnd) {
                        th.interrupt();
                        askedToEnd = true;
                    } else if (th.isAlive()) {
                        throw new IllegalStateException("worker thread " + th.getName() + " did not stop");
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    run.stop(StopReason.INTERRUPTED);
                }
            }
        }
        return interrupted;
    }

    // ---- progress (calling thread only)

    private RecentLoss progressLoss;

    private void reportProgress(long accepted) {
        long tauSum = 0;
        long applied = 0;
        for (WorkerState ws : run.workers) {
            if (ws != null) {
                tauSum += ws.stats.stalenessSum;
                applied += ws.stats.applied;
            }
        }
        progress.onProgress(
                seconds(),
                accepted,
                plannedSteps(),
                progressLoss.next(),
                applied == 0 ? Double.NaN : (double) tauSum / applied);
    }

    private long plannedSteps() {
        long planned = run.config.maxSteps().orElse(Long.MAX_VALUE);
        if (run.source instanceof InMemoryBatchSource && run.source.epochs() != Integer.MAX_VALUE) {
            long total = ((InMemoryBatchSource) run.source).batchesPerEpoch() * run.source.epochs();
            if (run.aggregating()) {
                total = (total + threads.length - 1) / threads.length;
            } else if (run.roundBased()) {
                return -1; // rounds of K submissions, K adaptive: the number of updates is not known ahead
            }
            planned = Math.min(planned, total);
        }
        return planned == Long.MAX_VALUE ? -1 : planned;
    }
}
