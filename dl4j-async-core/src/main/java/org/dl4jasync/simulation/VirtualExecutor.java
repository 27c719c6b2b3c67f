package org.dl4jasync.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

import org.dl4jasync.dispatch.AsyncDispatcher;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.metrics.TracePoint;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.metrics.WorkerStats;
import org.dl4jasync.parameters.LeashedStore;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.metrics.AsynchronyNoise;
import org.dl4jasync.stepsize.ConstantStepSize;
import org.dl4jasync.stepsize.StepSizePolicy;
import org.dl4jasync.metrics.StepListener;
import org.dl4jasync.trainer.StopReason;

/**
 * Deterministic virtual-time execution of m asynchronous workers: the semantics of the real trainer's worker loop
 * (Interval-Asynchrony paper, Algorithm 1) on any number of virtual workers, on one thread.
 *
 * <p>Each worker repeatedly: at its virtual time asks the {@link Dispatcher} for a ticket (if refused, retries after
 * the poll delay); reads the parameters (the version, and for a real model the parameters themselves, as of that
 * instant); "computes" for a duration drawn from its step-time distribution; calls {@code finishStep}; and, if
 * accepted, applies its update at that instant with its staleness τ and the {@link StepSizePolicy}'s factor. With an
 * apply time the apply takes virtual time too: under the CAS-published store a concurrent publication makes the CAS
 * fail and the worker retry (at most {@code persistence} times, then the update is dropped); under the locked store
 * applies queue for the lock; under HOGWILD! they land after the apply time without conflict.
 *
 * <p>Events are processed in virtual-time order, ties in scheduling order ({@link EventQueue}); a worker that finishes
 * a step starts its next one within the same event, as a real thread does. Every worker draws
 * its durations from its own seeded stream. The same seed therefore gives the same run, event for event. The
 * dispatcher, step-size policy and metrics are the classes the real trainer uses.
 *
 * <p>Not modelled: caches, memory bandwidth, NUMA, torn HOGWILD! reads (a virtual read sees whole updates), the
 * time of the dispatcher itself, and the cost of reading parameters under the lock.
 */
public final class VirtualExecutor {
    static final byte START = 0;
    static final byte FINISH = 1;
    static final byte APPLY = 2;

    private final int workers;
    private final IntFunction<Dispatcher> dispatcherFactory;
    private final StepSizePolicy stepSize;
    private final AsynchronyNoise noise;
    private final StepTimeDistribution stepTime;
    private final StepTimeDistribution applyTime;
    private final double pollDelay;
    private final ParameterStore.Kind store;
    private final int persistence;
    private final long seed;
    private final long maxSteps;
    private final double virtualTimeLimit;
    private final double wallTimeLimit;
    private final long batchesPerEpoch;
    private final int epochs;
    private final SimulatedModel model;
    private final long evalEvery;
    private final double targetAccuracy;
    private final long lossTraceEvery;
    private final List<StepListener> stepListeners;
    private final VirtualClock clock;

    private VirtualExecutor(Builder b) {
        this.workers = b.workers;
        this.dispatcherFactory = b.dispatcherFactory;
        this.stepSize = b.stepSize;
        this.noise = b.noise;
        this.stepTime = b.stepTime;
        this.applyTime = b.applyTime;
        this.pollDelay = b.pollDelay;
        this.store = b.store;
        this.persistence = b.persistence;
        this.seed = b.seed;
        this.maxSteps = b.maxSteps;
        this.virtualTimeLimit = b.virtualTimeLimit;
        this.wallTimeLimit = b.wallTimeLimit;
        this.batchesPerEpoch = b.batchesPerEpoch;
        this.epochs = b.epochs;
        this.model = b.model;
        this.evalEvery = b.evalEvery;
        this.targetAccuracy = b.targetAccuracy;
        this.lossTraceEvery = b.lossTraceEvery;
        this.stepListeners = List.copyOf(b.stepListeners);
        this.clock = b.clock;
    }

    /** Runs the simulation to its first stop condition and returns the report (times in virtual seconds). */
    public TrainingReport run() {
        return new Run().execute();
    }

    /** State of one simulation. Single-threaded. */
    private final class Run {
        final Dispatcher dispatcher = dispatcherFactory.apply(workers);
        final EventQueue queue = new EventQueue(workers);
        final WorkerStats[] stats = new WorkerStats[workers];
        final SplittableRandom[] stepRandom = new SplittableRandom[workers];
        final long[] ticket = new long[workers];
        final long[] readVersion = new long[workers];
        final long[] applyBase = new long[workers];
        final int[] casFailures = new int[workers];
        final double[] idleSince = new double[workers];
        final double[] idle = new double[workers];
        final double[] loss = new double[workers];
        final long totalTickets = epochs == Integer.MAX_VALUE ? Long.MAX_VALUE : epochs * batchesPerEpoch;
        final TrainingReport report = new TrainingReport();
        long version;
        long finished;
        boolean dataEnded;
        long failedCas;
        double lockFreeAt;
        double now;
        double lossSum;
        long lossCount;
        long nextLossAt = lossTraceEvery;
        long nextEvalAt = evalEvery;
        Double timeToTarget;
        StopReason reason;

        /** Parked (inactive) workers: they have no event until {@link #wake}. */
        final boolean[] parked = new boolean[workers];

        /** The active bound rose to {@code bound}: parked workers below it try to start now. */
        void wake(int bound) {
            for (int w = 0; w < bound; w++) {
                if (parked[w] && !dataEnded) {
                    parked[w] = false;
                    queue.schedule(w, now, START);
                }
            }
        }

        Run() {
            dispatcher.active().onChange(this::wake);
            SplittableRandom root = new SplittableRandom(seed);
            for (int w = 0; w < workers; w++) {
                stats[w] = new WorkerStats(w);
                stepRandom[w] = root.split();
                idleSince[w] = -1;
            }
        }

        TrainingReport execute() {
            long wall0 = System.nanoTime();
            long wallDeadline = Double.isInfinite(wallTimeLimit) ? Long.MAX_VALUE
                    : wall0 + (long) (wallTimeLimit * 1e9);
            for (int w = 0; w < workers; w++) {
                queue.schedule(w, 0.0, START);
            }
            long events = 0;
            while (reason == null && !queue.isEmpty()) {
                int w = queue.peek();
                double t = queue.timeOf(w);
                if (t > virtualTimeLimit) {
                    now = virtualTimeLimit;
                    reason = StopReason.TIME_LIMIT;
                    break;
                }
                queue.pop();
                now = t;
                if (clock != null) {
                    clock.now = t;
                }
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
                if ((++events & 4095) == 0 && System.nanoTime() > wallDeadline) {
                    reason = StopReason.TIME_LIMIT;
                }
            }
            if (reason == null) {
                reason = StopReason.EPOCHS;
            }
            return finishReport((System.nanoTime() - wall0) / 1e9);
        }

        private void start(int w) {
            long i = dispatcher.tryStartStep(w);
            if (i == Dispatcher.NOT_NOW) {
                if (idleSince[w] < 0) {
                    idleSince[w] = now;
                }
                if (!dispatcher.active().allows(w)) {
                    parked[w] = true; // no event until the bound rises (see wake)
                } else if (!dataEnded) { // after the data's end a waiting worker has nothing left to wait for
                    queue.schedule(w, now + pollDelay, START);
                }
                return;
            }
            if (idleSince[w] >= 0) {
                idle[w] += now - idleSince[w];
                idleSince[w] = -1;
            }
            if (i >= totalTickets) {
                idleSince[w] = now; // past the last epoch: this worker stops (no further event)
                dataEnded = true;
                return;
            }
            ticket[w] = i;
            readVersion[w] = version;
            stats[w].started++;
            if (model != null) {
                loss[w] = model.read(w, i, (int) version, (int) Math.min(Integer.MAX_VALUE, finished / batchesPerEpoch));
                stats[w].recordLoss(loss[w]);
                if (noise != null && model.pendingUpdate(w) != null) {
                    noise.computed(version, model.pendingUpdate(w));
                }
            } else {
                loss[w] = Double.NaN;
            }
            queue.schedule(w, now + stepTime.sample(w, stepRandom[w]), FINISH);
        }

        private void finish(int w) {
            if (!dispatcher.finishStep(w, ticket[w])) {
                stats[w].rejected++;
                stepDone(w, false, -1, 0);
                return;
            }
            if (applyTime == null) {
                applyNow(w);
                return;
            }
            double a = applyTime.sample(w, stepRandom[w]);
            switch (store) {
                case LEASHED:
                    applyBase[w] = version; // copy of the latest, then compute, then CAS at now + a
                    casFailures[w] = 0;
                    queue.schedule(w, now + a, APPLY);
                    break;
                case LOCKED:
                    double begin = Math.max(now, lockFreeAt);
                    lockFreeAt = begin + a;
                    queue.schedule(w, lockFreeAt, APPLY);
                    break;
                default:
                    queue.schedule(w, now + a, APPLY);
            }
        }

        private void applyDone(int w) {
            if (store == ParameterStore.Kind.LEASHED && version != applyBase[w]) {
                failedCas++;
                if (++casFailures[w] > persistence) {
                    stats[w].dropped++;
                    dispatcher.afterApply(w, ticket[w]);
                    stepDone(w, false, -1, 0);
                    return;
                }
                applyBase[w] = version; // retry from the new latest
                queue.schedule(w, now + applyTime.sample(w, stepRandom[w]), APPLY);
                return;
            }
            applyNow(w);
        }

        private void applyNow(int w) {
            long tau = version - readVersion[w];
            double factor = stepSize.factor(tau);
            if (noise != null && model != null && model.pendingUpdate(w) != null) {
                noise.applied(version, model.pendingUpdate(w), factor);
            }
            if (model != null) {
                model.apply(w, factor);
            }
            version++;
            stepSize.observe(tau);
            stats[w].recordApplied(tau, factor);
            dispatcher.afterApply(w, ticket[w]);
            if (model != null) {
                lossSum += loss[w];
                lossCount++;
            }
            stepDone(w, true, tau, factor);
            if (version >= nextLossAt) {
                traceLoss();
            }
            if (model != null && evalEvery > 0 && version >= nextEvalAt) {
                double acc = model.evaluate();
                nextEvalAt += evalEvery;
                if (Double.isNaN(acc)) {
                    if (reason == null) {
                        reason = StopReason.DIVERGED;
                    }
                    return;
                }
                report.accuracyTrace.add(new TracePoint(now, version, acc));
                if (!Double.isNaN(targetAccuracy) && acc >= targetAccuracy && reason == null) {
                    timeToTarget = now;
                    reason = StopReason.TARGET_ACCURACY;
                }
            }
            if (version >= maxSteps && reason == null) {
                reason = StopReason.MAX_STEPS;
            }
        }

        private void traceLoss() {
            if (lossCount > 0) {
                report.lossTrace.add(new TracePoint(now, version, lossSum / lossCount));
            }
            lossSum = 0;
            lossCount = 0;
            nextLossAt = (version / lossTraceEvery + 1) * lossTraceEvery;
        }

        private void stepDone(int w, boolean applied, long tau, double scale) {
            for (int k = 0; k < stepListeners.size(); k++) {
                stepListeners.get(k).onStep(w, ticket[w], applied, tau, scale, loss[w]);
            }
            finished++;
            if (reason == null) {
                start(w); // a worker goes straight on to its next step, at the same instant, before anyone else
            }
        }

        private TrainingReport finishReport(double wallSeconds) {
            TrainingReport r = report;
            if (model != null && lossCount > 0) {
                traceLoss();
            }
            r.algorithm = "async";
            r.store = store.name().toLowerCase(Locale.ROOT);
            r.stepSize = stepSize.name();
            r.workers = workers;
            r.stopReason = reason.key();
            r.fillSteps(stats, version);
            if (noise != null) {
                r.ainTrace = noise.trace();
            }
            r.stepScale.policy = stepSize.describe();
            r.stepScale.normalized = stepSize.normalized();
            double workerSeconds = 0;
            for (int w = 0; w < workers; w++) {
                double idleTotal = idle[w] + (idleSince[w] >= 0 ? now - idleSince[w] : 0);
                workerSeconds += now - idleTotal;
            }
            r.virtualSeconds = now;
            r.wallSeconds = wallSeconds;
            r.workerSeconds = workerSeconds;
            r.stepsPerSecond = now > 0 ? version / now : 0;
            r.epochsCompleted = (int) Math.min(Integer.MAX_VALUE, finished / batchesPerEpoch);
            if (model != null) {
                TracePoint last = r.accuracyTrace.isEmpty() ? null : r.accuracyTrace.get(r.accuracyTrace.size() - 1);
                double acc = last != null && last.steps == version ? last.value : model.evaluate();
                if (!Double.isNaN(acc)) {
                    if (last == null || last.steps != version) {
                        r.accuracyTrace.add(new TracePoint(now, version, acc));
                    }
                    r.finalAccuracy = acc;
                }
            }
            r.timeToTargetSeconds = timeToTarget;
            if (store == ParameterStore.Kind.LEASHED) {
                r.failedCas = failedCas;
            }
            return r;
        }
    }

    /** Builder in DL4J style: {@code new VirtualExecutor.Builder(workers, stepTime).maxSteps(n).build()}. */
    public static final class Builder {
        private final int workers;
        private final StepTimeDistribution stepTime;
        private IntFunction<Dispatcher> dispatcherFactory = AsyncDispatcher::new;
        private StepSizePolicy stepSize = ConstantStepSize.INSTANCE;
        private AsynchronyNoise noise;
        private StepTimeDistribution applyTime;
        private double pollDelay = 1e-4;
        private ParameterStore.Kind store = ParameterStore.Kind.HOGWILD;
        private int persistence = LeashedStore.UNBOUNDED;
        private long seed = 42;
        private long maxSteps = Long.MAX_VALUE;
        private double virtualTimeLimit = Double.POSITIVE_INFINITY;
        private double wallTimeLimit = Double.POSITIVE_INFINITY;
        private long batchesPerEpoch = Long.MAX_VALUE;
        private int epochs = Integer.MAX_VALUE;
        private SimulatedModel model;
        private long evalEvery;
        private double targetAccuracy = Double.NaN;
        private long lossTraceEvery = 50;
        private final List<StepListener> stepListeners = new ArrayList<>();
        private VirtualClock clock;

        public Builder(int workers, StepTimeDistribution stepTime) {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be >= 1, got " + workers);
            }
            this.workers = workers;
            this.stepTime = Objects.requireNonNull(stepTime, "stepTime");
        }

        public Builder dispatcher(IntFunction<Dispatcher> factory) {
            this.dispatcherFactory = Objects.requireNonNull(factory, "dispatcher");
            return this;
        }

        /** Measures the asynchrony-induced noise of applied updates (needs a model with pending updates). */
        public Builder asynchronyNoise(AsynchronyNoise n) {
            this.noise = n;
            return this;
        }

        public Builder stepSize(StepSizePolicy policy) {
            this.stepSize = Objects.requireNonNull(policy, "stepSize");
            return this;
        }

        /** Virtual duration of an apply (null: instantaneous). Models CAS contention for the LEASHED store. */
        public Builder applyTime(StepTimeDistribution d) {
            this.applyTime = d;
            return this;
        }

        /** Virtual time after which a worker that was refused a ticket asks again (> 0). */
        public Builder pollDelay(double seconds) {
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("poll delay must be > 0 seconds, got " + seconds);
            }
            this.pollDelay = seconds;
            return this;
        }

        public Builder store(ParameterStore.Kind kind) {
            this.store = Objects.requireNonNull(kind, "store");
            return this;
        }

        public Builder persistence(int p) {
            if (p < 0) {
                throw new IllegalArgumentException("persistence must be >= 0 or unbounded, got " + p);
            }
            this.persistence = p;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Builder maxSteps(long n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxSteps must be >= 1, got " + n);
            }
            this.maxSteps = n;
            return this;
        }

        public Builder virtualTimeLimit(double seconds) {
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("virtual time limit must be > 0 seconds, got " + seconds);
            }
            this.virtualTimeLimit = seconds;
            return this;
        }

        /** Wall-clock limit of the simulation itself (> 0). */
        public Builder wallTimeLimit(double seconds) {
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("time limit must be > 0 seconds, got " + seconds);
            }
            this.wallTimeLimit = seconds;
            return this;
        }

        /** {@code epochs} passes of {@code batchesPerEpoch} tickets each (defaults: unbounded). */
        public Builder epochs(int epochs, long batchesPerEpoch) {
            if (epochs < 1 || batchesPerEpoch < 1) {
                throw new IllegalArgumentException("epochs and batches per epoch must be >= 1, got " + epochs
                        + " and " + batchesPerEpoch);
            }
            this.epochs = epochs;
            this.batchesPerEpoch = batchesPerEpoch;
            return this;
        }

        public Builder model(SimulatedModel m) {
            this.model = m;
            return this;
        }

        public Builder evaluateEvery(long steps) {
            if (steps < 0) {
                throw new IllegalArgumentException("evaluation interval must be >= 0, got " + steps);
            }
            this.evalEvery = steps;
            return this;
        }

        public Builder targetAccuracy(double acc) {
            if (!(acc > 0 && acc <= 1)) {
                throw new IllegalArgumentException("target accuracy must be in (0, 1], got " + acc);
            }
            this.targetAccuracy = acc;
            return this;
        }

        public Builder lossTraceEvery(long steps) {
            if (steps < 1) {
                throw new IllegalArgumentException("lossTraceEvery must be >= 1, got " + steps);
            }
            this.lossTraceEvery = steps;
            return this;
        }

        /** A clock the executor keeps at the current virtual time (for controllers that measure rates). */
        public Builder clock(VirtualClock c) {
            this.clock = c;
            return this;
        }

        public Builder stepListener(StepListener l) {
            stepListeners.add(Objects.requireNonNull(l, "stepListener"));
            return this;
        }

        public VirtualExecutor build() {
            if (!Double.isNaN(targetAccuracy) && (model == null || evalEvery == 0)) {
                throw new IllegalArgumentException("targetAccuracy needs a model and an evaluation interval >= 1");
            }
            if (maxSteps == Long.MAX_VALUE && Double.isInfinite(virtualTimeLimit) && Double.isInfinite(wallTimeLimit)
                    && epochs == Integer.MAX_VALUE && Double.isNaN(targetAccuracy)) {
                throw new IllegalArgumentException("a simulation needs a stop condition: max steps, epochs, a virtual "
                        + "time limit or a time limit");
            }
            return new VirtualExecutor(this);
        }
    }
}
