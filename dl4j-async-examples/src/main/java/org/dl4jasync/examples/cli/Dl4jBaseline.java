package org.dl4jasync.examples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.deeplearning4j.datasets.iterator.AsyncDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.dl4jasync.config.EvaluationMode;
import org.dl4jasync.config.NonFinitePolicy;
import org.dl4jasync.config.OptimizerState;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.metrics.EvaluationSchedule;
import org.dl4jasync.metrics.ReportBuilder;
import org.dl4jasync.metrics.StopReason;
import org.dl4jasync.metrics.TracePoint;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.model.NativeHelpers;
import org.dl4jasync.spec.Choice;
import org.dl4jasync.trainer.ProgressListener;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's own training loops, run for side-by-side comparison and reported in the same report: {@code net.fit} on
 * the calling thread ({@code --algorithm netfit}) and {@link ParallelWrapper} with its builder defaults except the
 * worker count (parameter averaging after every iteration, prefetch buffer 16; {@code --algorithm
 * parallelwrapper}). {@code net.fit} runs its ops on every core (ND4J's default; the launcher's
 * {@code OMP_NUM_THREADS=1} is for our workers), ParallelWrapper one op thread per worker. Each epoch is one
 * {@code fit(iterator)} call. The test set is evaluated on the run's {@link EvaluationSchedule} ({@code --eval-every}
 * iterations or seconds of training; in the iteration listener, on the training thread, as DL4J's
 * {@code EvaluativeListener}), else after every epoch, and at the end;
 * evaluation is <em>not</em> timed: the report's times (traces, time to target, wall seconds) count training only.
 * The step budget and time limit are checked after every iteration (exact for net.fit; ParallelWrapper's workers
 * stop after the batches already handed out), the target accuracy at every evaluation. Staleness is not defined
 * for them and left empty; steps are minibatch iterations over all workers.
 */
public final class Dl4jBaseline {
    /** Which loop. */
    public enum Loop {
        NET_FIT("netfit"),
        PARALLEL_WRAPPER("parallelwrapper");

        final String key;

        Loop(String key) {
            this.key = key;
        }
    }

    private Dl4jBaseline() {}

    /**
     * Counts iterations (ParallelWrapper's workers call it concurrently), evaluates, and requests the stop. The
     * clock excludes every evaluation. Protocols: {@link #steps} and {@link #stopRequested} are atomic; the traces,
     * the loss sums, {@link #timeToTarget} and {@link #untimedNanos} are written under {@code this}'s monitor
     * (untimedNanos is volatile so that the time-limit check outside the monitor reads it).
     */
    private static final class Counter extends BaseTrainingListener {
        final AtomicLong steps = new AtomicLong();
        final long maxSteps;
        final double timeLimit;
        /** Its boundaries are written in {@link #evaluateIfDue} under this object's monitor. */
        final EvaluationSchedule schedule;

        final boolean periodic;
        final double target;
        final Supplier<DataSetIterator> test;
        final ProgressListener progress;
        final AtomicBoolean stopRequested = new AtomicBoolean();
        final List<TracePoint> lossTrace = new ArrayList<>();
        final List<TracePoint> accuracy = new ArrayList<>();
        volatile long untimedNanos;
        final long t0 = System.nanoTime();
        double lossSum;
        long lossCount;
        Double timeToTarget;
        volatile ParallelWrapper wrapper;
        volatile StopReason reason;
        /** Set before training: the network has oneDNN helpers and ParallelWrapper's clones should too. */
        volatile boolean replicaHelpers;

        Counter(RunConfig config, Supplier<DataSetIterator> test, ProgressListener progress) {
            this.maxSteps = config.maxSteps().orElse(Long.MAX_VALUE);
            this.timeLimit = config.timeLimit().map(d -> d.toNanos() / 1e9).orElse(Double.POSITIVE_INFINITY);
            this.schedule = config.evaluationSchedule();
            this.periodic = config.evaluatesDuringRun();
            this.target = config.targetAccuracy().orElse(Double.NaN);
            this.test = test;
            this.progress = progress;
        }

        double seconds() {
            return (System.nanoTime() - t0 - untimedNanos) / 1e9;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            if (replicaHelpers) {
                // ParallelWrapper's workers train clones, which DL4J makes without the network's oneDNN helpers;
                // each gets them after its first step (idempotent, a few field reads per call)
                NativeHelpers.useOneDnn(model);
            }
            long n = steps.incrementAndGet();
            synchronized (this) {
                lossSum += model.score();
                lossCount++;
                if (n % 50 == 0) {
                    lossTrace.add(new TracePoint(seconds(), n, lossSum / lossCount));
                    lossSum = 0;
                    lossCount = 0;
                }
            }
            if (periodic && schedule.due(n, seconds())) {
                evaluateIfDue(model, n); // on the training thread, as DL4J's EvaluativeListener
            }
            if (n >= maxSteps) {
                stop(StopReason.MAX_STEPS);
            } else if (seconds() >= timeLimit) {
                stop(StopReason.TIME_LIMIT);
            }
        }

        /** Evaluates unless another thread did since this one saw the boundary (ParallelWrapper's workers). */
        synchronized void evaluateIfDue(Model model, long atSteps) {
            double now = seconds();
            if (schedule.due(atSteps, now)) {
                schedule.evaluated(atSteps, now);
                evaluate(model, atSteps);
            }
        }

        /**
         * Test accuracy of {@code model} (the network for net.fit; for ParallelWrapper the replica whose iteration
         * crossed the boundary, averaged every iteration), not timed; stops the run at the target or on divergence.
         */
        synchronized void evaluate(Model model, long atSteps) {
            long start = System.nanoTime();
            double seconds = seconds();
            boolean finite = Double.isFinite(model.params().sumNumber().doubleValue());
            double acc = finite ? accuracy(model, test.get()) : Double.NaN;
            untimedNanos += System.nanoTime() - start;
            if (!finite) {
                stop(StopReason.DIVERGED);
                return;
            }
            TracePoint p = new TracePoint(seconds, atSteps, acc);
            accuracy.add(p);
            if (progress != null) {
                progress.onProgress(p.seconds, p.steps, -1, Double.NaN, Double.NaN);
            }
            if (acc >= target && timeToTarget == null) {
                timeToTarget = seconds;
                stop(StopReason.TARGET_ACCURACY);
            }
        }

        synchronized boolean evaluatedAt(long atSteps) {
            return !accuracy.isEmpty() && accuracy.get(accuracy.size() - 1).steps == atSteps;
        }

        void stop(StopReason r) {
            if (stopRequested.compareAndSet(false, true)) {
                reason = r;
                ParallelWrapper w = wrapper;
                if (w != null) {
                    w.stopFit();
                }
            }
        }
    }

    /** Test accuracy of a MultiLayerNetwork or a ComputationGraph (its first output). */
    private static double accuracy(Model model, DataSetIterator test) {
        return model instanceof ComputationGraph
                ? ((ComputationGraph) model).evaluate(test).accuracy()
                : ((MultiLayerNetwork) model).evaluate(test).accuracy();
    }

    /** One epoch of DL4J's own fit. */
    private static void fit(Model model, DataSetIterator train) {
        if (model instanceof ComputationGraph) {
            ((ComputationGraph) model).fit(train);
        } else {
            ((MultiLayerNetwork) model).fit(train);
        }
    }

    static TrainingReport run(
            Loop loop,
            Experiment experiment,
            RunConfig runConfig,
            Model net,
            TrainTest data,
            ProgressListener progress) {
        if (runConfig.evaluationMode() != EvaluationMode.PAUSED) {
            throw new UsageException(
                    "--eval-mode",
                    Choice.key(runConfig.evaluationMode()),
                    "paused with --algorithm " + loop.key
                            + " (DL4J's loops evaluate on the training thread, which pauses training)");
        }
        if (runConfig.checkpointDir().isPresent() || runConfig.resumeFrom().isPresent()) {
            throw new UsageException(
                    runConfig.checkpointDir().isPresent() ? "--checkpoint-dir" : "--resume",
                    runConfig
                            .checkpointDir()
                            .orElseGet(() -> runConfig.resumeFrom().get())
                            .toString(),
                    "left out with --algorithm " + loop.key + " (checkpoints are dl4j-async's trainer's)");
        }
        if (runConfig.nonFinitePolicy() != NonFinitePolicy.FAIL) {
            throw new UsageException(
                    "--on-non-finite",
                    Choice.key(runConfig.nonFinitePolicy()),
                    "left out with " + "--algorithm " + loop.key
                            + " (DL4J's loops apply every update; an evaluation sees divergence)");
        }
        if (runConfig.optimizerState() != OptimizerState.PER_WORKER) {
            throw new UsageException(
                    "--optimizer-state",
                    Choice.key(runConfig.optimizerState()),
                    "left out with " + "--algorithm " + loop.key
                            + " (DL4J's loops keep the updater state their own way)");
        }
        // the same evaluation cadence as our trainer's (eval_every, or its default with a target accuracy)
        RunConfig config = RunConfig.builder()
                .config(runConfig)
                .evaluation(Experiment.testIterator(data))
                .build();
        int m = loop == Loop.NET_FIT ? 1 : config.workers();
        Counter counter = new Counter(config, () -> Experiment.testIterator(data), progress);
        int epochs = config.epochs(TrainOptions.DEFAULT_EPOCHS);
        int epochsRun = 0;
        int savedThreads = Nd4j.getEnvironment().maxThreads();
        // net.fit as DL4J runs it by default: every core for the ops; ParallelWrapper: one thread per worker
        int opThreads = loop == Loop.NET_FIT ? Runtime.getRuntime().availableProcessors() : 1;
        Nd4j.getEnvironment().setMaxThreads(opThreads);
        ParallelWrapper pw = null;
        AsyncDataSetIterator prefetched = null;
        try {
            if (loop == Loop.PARALLEL_WRAPPER) {
                pw = new ParallelWrapper.Builder<>(net).workers(m).build();
                counter.wrapper = pw;
                counter.replicaHelpers = NativeHelpers.oneDnnLayers(net) > 0;
                pw.setListeners(counter);
            } else {
                net.setListeners(counter);
            }
            DataSetIterator source = experiment.trainIterator(data, config.seed());
            if (loop == Loop.NET_FIT && source.asyncSupported()) {
                prefetched = new AsyncDataSetIterator(source, 2, true); // what net.fit itself would wrap it in
                source = prefetched;
            }
            DataSetIterator train = new StoppableIterator(
                    source, counter.stopRequested, loop == Loop.PARALLEL_WRAPPER && source.asyncSupported());
            ParallelWrapper wrapper = pw;
            // SIGINT/SIGTERM end the epoch early, as the step budget does (Signals)
            epochsRun = Signals.during(() -> counter.stop(StopReason.INTERRUPTED), () -> {
                int run = 0;
                for (int e = 0; e < epochs && !counter.stopRequested.get(); e++) {
                    train.reset();
                    if (wrapper != null) {
                        wrapper.fit(train);
                    } else {
                        fit(net, train);
                    }
                    if (!counter.stopRequested.get()) {
                        run++;
                    }
                    long n = counter.steps.get();
                    if (!counter.periodic && !counter.evaluatedAt(n)) {
                        counter.evaluate(net, n); // after every epoch
                    }
                }
                return run;
            });
            long n = counter.steps.get();
            if (counter.reason != StopReason.DIVERGED && !counter.evaluatedAt(n)) {
                counter.evaluate(net, n); // the final parameters
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException(loop.key + " failed: " + e, e);
        } finally {
            if (prefetched != null) {
                prefetched.shutdown();
            }
            if (pw != null) {
                closeQuietly(pw);
            } else {
                net.setListeners();
            }
            Nd4j.getEnvironment().setMaxThreads(savedThreads);
        }
        double seconds = counter.seconds();
        ReportBuilder r = new ReportBuilder();
        r.config().putAll(config.provenance());
        r.config().put("algorithm", loop.key);
        r.config().put("store", null);
        r.config().put("workers", m);
        r.config().put("epochs", epochs == Integer.MAX_VALUE ? null : epochs);
        r.config()
                .put(
                        "evaluation",
                        (counter.periodic
                                        ? "test set " + counter.schedule.describe("iterations")
                                        : "test set after every epoch")
                                + " and at the end, not timed");
        r.config().put("op_threads", opThreads);
        r.algorithm(loop.key);
        r.store(null);
        r.stepSize("constant");
        r.workers(m);
        long steps = counter.steps.get();
        r.stopReason(counter.reason == null ? StopReason.EPOCHS : counter.reason);
        r.stepsStarted(steps);
        r.stepsAccepted(steps);
        r.acceptanceRate(steps == 0 ? 0 : 1);
        r.wallSeconds(seconds);
        r.evaluationSeconds(counter.untimedNanos / 1e9);
        r.workerSeconds(m * seconds);
        r.stepsPerSecond(steps / seconds);
        r.batchesProcessed(steps);
        r.epochsCompleted(epochsRun);
        r.lossTrace(new ArrayList<>(counter.lossTrace));
        List<TracePoint> accuracy = counter.accuracy;
        r.accuracyTrace(new ArrayList<>(accuracy));
        if (!accuracy.isEmpty() && counter.reason != StopReason.DIVERGED) {
            r.finalAccuracy(accuracy.get(accuracy.size() - 1).value);
        }
        if (counter.timeToTarget != null) {
            r.timeToTargetSeconds(counter.timeToTarget);
        }
        return r.build();
    }

    private static void closeQuietly(ParallelWrapper pw) {
        try {
            pw.close();
        } catch (Exception e) {
            throw new IllegalStateException("ParallelWrapper did not close: " + e, e);
        }
    }

    static String describe(Loop loop, RunConfig config) {
        return loop == Loop.NET_FIT
                ? "net.fit (DL4J, 1 thread)"
                : String.format(Locale.ROOT, "parallelwrapper (DL4J), %d workers", config.workers());
    }
}
