package org.dl4jasync.trainer;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The deferred gradients of a simulation ({@link Run#deferred}) computed on spare cores ahead of time: a step's
 * gradient is submitted when the step starts and awaited when it finishes, if the dispatcher accepts it (or it
 * contributes to a sync round); a rejected step's gradient is cancelled, or awaited and thrown away when it already
 * started. Worker w's gradients always run on thread w mod k, so each replica (and its DL4J workspaces) stays on one
 * thread. A gradient touches only its worker's replica and is seeded per step ({@link StepWork#gradient}), and the
 * updater runs on the simulation thread in event order ({@link StepWork#toUpdate}), so the result is the same for any
 * number of threads, and the same as with none ({@link #inline}: each gradient computed when its step finishes).
 *
 * <p>Protocol: {@link #pending}[w] is written and read by the simulation thread only; the future's completion orders
 * the gradient thread's writes to the replica before the simulation thread's reads.
 */
class GradientPool implements AutoCloseable {
    final StepWork work;

    GradientPool(StepWork work) {
        this.work = work;
    }

    /** Without helper threads: each gradient is computed on the simulation thread when its step finishes. */
    static GradientPool inline(StepWork work) {
        return new GradientPool(work);
    }

    /** With {@code threads} helper threads (≥ 1) for {@code m} workers. */
    static GradientPool threads(StepWork work, int m, int threads) {
        return new Threaded(work, m, threads);
    }

    /** The step of {@code ws} has started (its parameters are copied). */
    void submit(WorkerState ws) {}

    /** The step of {@code ws} is accepted (or contributes): its gradient and update are ready when this returns. */
    void await(WorkerState ws) throws InterruptedException {
        work.gradient(ws);
        work.toUpdate(ws);
        work.batchDone(ws);
    }

    /** The step of {@code ws} is rejected: its gradient is not needed. */
    void discard(WorkerState ws) throws InterruptedException {
        work.skipGradient(ws);
    }

    @Override
    public void close() throws InterruptedException {}

    private static final class Threaded extends GradientPool {
        private final ExecutorService[] threads;
        /** The executors' threads (each makes one: nothing in it throws), joined by {@link #close}. */
        private final List<Thread> made = new CopyOnWriteArrayList<>();

        private final Future<?>[] pending;
        private boolean closed;

        Threaded(StepWork work, int m, int k) {
            super(work);
            this.threads = new ExecutorService[k];
            for (int i = 0; i < k; i++) {
                final int id = i;
                threads[i] = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "dl4j-async-sim-gradients-" + id);
                    t.setDaemon(true);
                    made.add(t);
                    return t;
                });
            }
            this.pending = new Future<?>[m];
        }

        @Override
        void submit(WorkerState ws) {
            pending[ws.id] = threads[ws.id % threads.length].submit(() -> work.gradient(ws));
        }

        @Override
        void await(WorkerState ws) throws InterruptedException {
            finished(ws, false);
            work.toUpdate(ws);
            work.batchDone(ws);
        }

        @Override
        void discard(WorkerState ws) throws InterruptedException {
            finished(ws, true);
            work.skipGradient(ws);
        }

        /** Waits for the worker's gradient (or cancels it when {@code cancel} and it has not started). */
        private void finished(WorkerState ws, boolean cancel) throws InterruptedException {
            Future<?> f = pending[ws.id];
            pending[ws.id] = null;
            if (f == null) {
                throw new IllegalStateException("worker " + ws.id + " has no gradient in flight");
            }
            if (cancel && f.cancel(false)) {
                return;
            }
            try {
                f.get();
            } catch (CancellationException e) {
                // cancelled above
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException r) {
                    throw r;
                }
                if (c instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException("gradient of worker " + ws.id + " failed", c);
            }
        }

        /** Waits for the gradients still in flight, frees the threads' workspaces and ends the threads (once). */
        @Override
        public void close() throws InterruptedException {
            if (closed) {
                return;
            }
            closed = true;
            for (int w = 0; w < pending.length; w++) {
                Future<?> f = pending[w];
                pending[w] = null;
                if (f != null && !f.cancel(false)) {
                    try {
                        f.get();
                    } catch (ExecutionException | CancellationException e) {
                        // the run is over; its result no longer matters
                    }
                }
            }
            for (ExecutorService t : threads) {
                t.submit(() -> Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread());
                t.shutdown();
            }
            for (Thread t : made) { // no gradient is in flight: each ends after freeing its workspaces
                t.join(TimeUnit.MINUTES.toMillis(1));
                if (t.isAlive()) {
                    throw new IllegalStateException(t.getName() + " did not end");
                }
            }
        }
    }
}
