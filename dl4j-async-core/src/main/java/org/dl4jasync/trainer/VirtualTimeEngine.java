package org.dl4jasync.trainer;

import java.util.SplittableRandom;
import org.dl4jasync.metrics.StopReason;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parameters.ContentionModel;
import org.dl4jasync.simulation.StepTimeDistribution;
import org.dl4jasync.simulation.VirtualClock;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a {@link Run} with m virtual workers in deterministic virtual time on the calling thread: the same step
 * protocol as the thread engine, called from events.
 *
 * <p>A worker's start event calls {@code begin} (it reads the parameters at that instant into its own replica); its
 * finish event, a step time later, calls {@code finish} and then applies, rejects or contributes. The gradient is
 * computed from the copy only for a step that applies or contributes ({@link GradientPool}: on helper threads from
 * the start event on, or on this thread at the finish), so a rejected step costs no gradient. With an apply time an accepted update is applied only when the store's {@link ContentionModel} says
 * so (the CAS-published store retries or drops on a concurrent publication, the locked store queues applies for
 * its lock). A worker that may not start has no event until the run's waiters are signalled; it then retries after
 * the poll delay (its wake-up latency). A worker that finishes a step starts its next one within the same event, as
 * a thread does.
 *
 * <p>Events are processed in virtual-time order, ties in scheduling order ({@link EventQueue}); every worker draws
 * its durations from its own seeded stream; so the same seed gives the same run, event for event.
 *
 * <p>Not modelled: caches, memory bandwidth, NUMA, torn HOGWILD! reads (a virtual read sees whole updates), the
 * time of the dispatcher itself, and the cost of reading parameters under the lock.
 */
final class VirtualTimeEngine {
    static final byte START = 0;
    static final byte FINISH = 1;
    static final byte APPLY = 2;

    /** The run, given to {@link #execute} (made with this engine's {@link #interrupt}). */
    private Run run;

    private StepProtocol steps;
    private PerStepCompletion perStep;
    private final VirtualClock clock;
    private final StepTimeDistribution stepTime;
    private final StepTimeDistribution applyTime;
    private final double pollDelay;
    private final double virtualTimeLimit;
    private final double wallTimeLimit;
    private final int gradientThreads;
    private GradientPool gradients;
    private final int m;
    private final EventQueue queue;
    private final SplittableRandom[] random;
    private final boolean[] waiting;
    private int waitingCount;
    private ContentionModel contention;

    /**
     * @param clock           the run's clock (the engine sets it before each event)
     * @param gradientThreads helper threads for the deferred gradients (0: computed on this thread)
     */
    VirtualTimeEngine(
            int workers,
            VirtualClock clock,
            StepTimeDistribution stepTime,
            StepTimeDistribution applyTime,
            double pollDelay,
            double virtualTimeLimit,
            double wallTimeLimit,
            int gradientThreads) {
        this.clock = clock;
        this.stepTime = stepTime;
        this.applyTime = applyTime;
        this.pollDelay = pollDelay;
        this.virtualTimeLimit = virtualTimeLimit;
        this.wallTimeLimit = wallTimeLimit;
        this.gradientThreads = gradientThreads;
        this.m = workers;
        this.queue = new EventQueue(m);
        this.random = new SplittableRandom[m];
        this.waiting = new boolean[m];
    }

    /** Runs {@code run}, which was made with {@link #interrupt} as its interrupter. */
    TrainingReport execute(Run run) throws InterruptedException {
        this.run = run;
        this.steps = run.steps;
        this.perStep = run.completion instanceof PerStepCompletion p ? p : null;
        gradients = gradientThreads > 0
                ? GradientPool.threads(run.work, m, gradientThreads)
                : GradientPool.inline(run.work);
        try {
            return events();
        } finally {
            gradients.close();
        }
    }

    private TrainingReport events() throws InterruptedException {
        long wall0 = System.nanoTime();
        long wallDeadline = Double.isInfinite(wallTimeLimit) ? Long.MAX_VALUE : wall0 + (long) (wallTimeLimit * 1e9);
        Nd4j.getRandom().setSeed(run.config.seed() + 7919L); // the seed of the thread engine's first worker
        // an apply time is modelled for the applies of single steps (a round's close applies under its own lock)
        contention = applyTime == null || perStep == null ? null : run.store.contention();
        run.waiters.onSignal(this::wakeWaiting);
        SplittableRandom root = new SplittableRandom(run.config.seed());
        for (int w = 0; w < m; w++) {
            random[w] = root.split();
            run.newWorker(w);
            queue.schedule(w, 0.0, START);
        }
        long events = 0;
        double now = 0;
        while (!run.stopping() && !queue.isEmpty()) {
            int w = queue.peek();
            double t = queue.timeOf(w);
            if (t > virtualTimeLimit) {
                now = virtualTimeLimit;
                clock.set(now);
                run.stop(StopReason.TIME_LIMIT);
                break;
            }
            queue.pop();
            now = t;
            clock.set(t);
            try {
                switch (queue.typeOf(w)) {
                    case START:
                        start(w);
                        break;
                    case FINISH:
                        finish(w);
                        break;
                    default:
                        applyDone(w);
                }
            } catch (RuntimeException e) { // as the thread engine: the run ends, the cause is the worker's
                run.abort();
                run.ended();
                run.optimizer.writeBack();
                run.bridge.showFinalState(run.store.applied()); // what was applied before the failure
                throw new TrainingFailedException("training failed in worker " + w + " at virtual time " + t, e);
            }
            if ((++events & 4095) == 0) {
                if (System.nanoTime() > wallDeadline) {
                    run.stop(StopReason.TIME_LIMIT);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException("simulation interrupted at virtual time " + now);
                }
            }
        }
        for (WorkerState ws : run.workers) {
            ws.ended(now); // workers still in a step are cut off at the end
        }
        run.ended();
        run.optimizer.writeBack();
        gradients.close(); // their gradients are not needed; nothing else computes during the final evaluation
        return ReportAssembler.assemble(run, now, (System.nanoTime() - wall0) / 1e9, true);
    }

    private void start(int w) throws InterruptedException {
        WorkerState ws = run.workers[w];
        double now = clock.getAsDouble();
        int s = steps.begin(ws);
        if (s == Run.STARTED) {
            gradients.submit(ws);
            ws.waitEnds(now);
            queue.schedule(w, now + stepTime.sample(w, random[w]), FINISH);
        } else if (s == Run.WAIT) {
            ws.waitStarts(now);
            if (!steps.mayProceed(w)) {
                waiting[w] = true; // no event until the waiters are signalled (wakeWaiting)
                waitingCount++;
            } else {
                queue.schedule(w, now + pollDelay, START);
            }
        } else {
            ws.ended(now);
        }
    }

    /** The waiters were signalled: every waiting worker tries again after the poll delay, in worker order. */
    private void wakeWaiting() {
        if (waitingCount == 0) {
            return;
        }
        double at = clock.getAsDouble() + pollDelay;
        for (int w = 0; w < m; w++) {
            if (waiting[w]) {
                waiting[w] = false;
                queue.schedule(w, at, START);
            }
        }
        waitingCount = 0;
    }

    private void finish(int w) throws InterruptedException {
        WorkerState ws = run.workers[w];
        Completion c = run.completion;
        if (!c.accepts(ws)) {
            gradients.discard(ws);
            c.refuse(ws);
        } else {
            gradients.await(ws); // the update is ready (when the store's turn comes, under contention)
            if (contention != null) {
                double now = clock.getAsDouble();
                queue.schedule(w, contention.begin(w, now, applyTime.sample(w, random[w])), APPLY);
                return;
            }
            c.land(ws);
        }
        next(w);
    }

    private void applyDone(int w) throws InterruptedException {
        WorkerState ws = run.workers[w];
        switch (contention.end(w)) {
            case ContentionModel.APPLY:
                perStep.land(ws);
                break;
            case ContentionModel.RETRY:
                double now = clock.getAsDouble();
                queue.schedule(w, contention.begin(w, now, applyTime.sample(w, random[w])), APPLY);
                return;
            default:
                perStep.drop(ws);
        }
        next(w);
    }

    /**
     * Cuts worker {@code w}'s step short now (ABS's forced restart, called while another worker's event closes a
     * round): its gradient is dropped and it starts its next step at this instant, after the current event.
     */
    boolean interrupt(int w) {
        if (!queue.contains(w) || queue.typeOf(w) != FINISH) {
            return false;
        }
        WorkerState ws = run.workers[w];
        try {
            gradients.discard(ws);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dropping a gradient", e);
        }
        steps.discard(ws);
        queue.reschedule(w, clock.getAsDouble(), START);
        return true;
    }

    /** A worker goes straight on to its next step, at the same instant, before anyone else. */
    private void next(int w) throws InterruptedException {
        if (!run.stopping()) {
            start(w);
        }
    }
}
