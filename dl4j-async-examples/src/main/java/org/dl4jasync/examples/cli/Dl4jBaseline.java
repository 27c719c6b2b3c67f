package org.dl4jasync.examples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.deeplearning4j.datasets.iterator.AsyncDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.metrics.StopReason;
import org.dl4jasync.metrics.TracePoint;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.trainer.ProgressListener;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's own training loops, run for side-by-side comparison and reported in the same report: {@code net.fit} on
 * the calling thread ({@code --algorithm netfit}) and {@link ParallelWrapper} with its builder defaults except the
 * worker count (parameter averaging after every iteration, prefetch buffer 16; {@code --algorithm
 * parallelwrapper}). {@code net.fit} runs its ops on every core (ND4J's default; the launcher's
 * {@code OMP_NUM_THREADS=1} is for our workers), ParallelWrapper one op thread per worker. Each epoch is one {@code fit(iterator)} call; after each the test set is evaluated, and that
 * evaluation is <em>not</em> timed: the report's times (traces, time to target, wall seconds) count training only.
 * The step budget and time limit are checked after every iteration (exact for net.fit; ParallelWrapper's workers
 * stop after the batches already handed out); the target accuracy after every epoch. Staleness is not defined for them and left
 * empty; steps are minibatch iterations over all workers.
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

    private Dl4jBaseline() {
    }

    /**
     * Counts iterations (ParallelWrapper's workers call it concurrently) and requests the stop; the clock excludes
     * the untimed evaluations between epochs.
     */
    private static final class Counter extends BaseTrainingListener {
        final AtomicLong steps = new AtomicLong();
        final long maxSteps;
        final double timeLimit;
        final AtomicBoolean stopRequested = new AtomicBoolean();
        final List<TracePoint> lossTrace = new ArrayList<>();
        /** Written by the thread calling fit between epochs; read by workers (benign: only the time limit uses it). */
        volatile long untimedNanos;
        final long t0 = System.nanoTime();
        double lossSum;
        long lossCount;
        volatile ParallelWrapper wrapper;
        volatile StopReason reason;

        Counter(long maxSteps, double timeLimit) {
            this.maxSteps = maxSteps;
            this.timeLimit = timeLimit;
        }

        double seconds() {
            return (System.nanoTime() - t0 - untimedNanos) / 1e9;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
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
            if (n >= maxSteps) {
                stop(StopReason.MAX_STEPS);
            } else if (seconds() >= timeLimit) {
                stop(StopReason.TIME_LIMIT);
            }
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

    /**
     * Ends the epoch early once a stop was requested (net.fit has no stopFit). For net.fit it sits after the
     * prefetching DL4J would add itself (the same {@link AsyncDataSetIterator}, queue of 2) and says it does not
     * support async, so no batch is trained after the stop: the step budget is exact. ParallelWrapper keeps its own
     * prefetch buffer, so a few batches handed out before the stop may still be trained.
     */
    private static final class Stoppable implements DataSetIterator {
        private static final long serialVersionUID = 1L;
        private final DataSetIterator in;
        private final AtomicBoolean stop;
        private final boolean async;

        Stoppable(DataSetIterator in, AtomicBoolean stop, boolean async) {
            this.in = in;
            this.stop = stop;
            this.async = async;
        }

        @Override
        public boolean hasNext() {
            return !stop.get() && in.hasNext();
        }

        @Override
        public DataSet next() {
            return in.next();
        }

        @Override
        public DataSet next(int num) {
            return in.next(num);
        }

        @Override
        public int inputColumns() {
            return in.inputColumns();
        }

        @Override
        public int totalOutcomes() {
            return in.totalOutcomes();
        }

        @Override
        public boolean resetSupported() {
            return in.resetSupported();
        }

        @Override
        public boolean asyncSupported() {
            return async;
        }

        @Override
        public void reset() {
            in.reset();
        }

        @Override
        public int batch() {
            return in.batch();
        }

        @Override
        public void setPreProcessor(DataSetPreProcessor p) {
            in.setPreProcessor(p);
        }

        @Override
        public DataSetPreProcessor getPreProcessor() {
            return in.getPreProcessor();
        }

        @Override
        public List<String> getLabels() {
            return in.getLabels();
        }
    }

    static TrainingReport run(Loop loop, Experiment experiment, RunConfig config, MultiLayerNetwork net,
                              TrainTest data, ProgressListener progress) {
        int m = loop == Loop.NET_FIT ? 1 : config.workers();
        Counter counter = new Counter(config.maxSteps().orElse(Long.MAX_VALUE),
                config.timeLimit().map(d -> d.toNanos() / 1e9).orElse(Double.POSITIVE_INFINITY));
        double target = config.targetAccuracy().orElse(Double.NaN);
        int epochs = config.epochs(TrainOptions.DEFAULT_EPOCHS);
        List<TracePoint> accuracy = new ArrayList<>();
        Double timeToTarget = null;
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
                pw.setListeners(counter);
            } else {
                net.setListeners(counter);
            }
            DataSetIterator source = experiment.trainIterator(data, config.seed());
            if (loop == Loop.NET_FIT && source.asyncSupported()) {
                prefetched = new AsyncDataSetIterator(source, 2, true); // what net.fit itself would wrap it in
                source = prefetched;
            }
            DataSetIterator train = new Stoppable(source, counter.stopRequested,
                    loop == Loop.PARALLEL_WRAPPER && source.asyncSupported());
            for (int e = 0; e < epochs && !counter.stopRequested.get(); e++) {
                train.reset();
                if (pw != null) {
                    pw.fit(train);
                } else {
                    net.fit(train);
                }
                boolean complete = !counter.stopRequested.get();
                if (complete) {
                    epochsRun++;
                }
                long evalStart = System.nanoTime();
                TracePoint p = new TracePoint(counter.seconds(), counter.steps.get(),
                        net.evaluate(Experiment.testIterator(data)).accuracy());
                counter.untimedNanos += System.nanoTime() - evalStart;
                accuracy.add(p);
                if (progress != null) {
                    progress.onProgress(p.seconds, p.steps, -1, Double.NaN, Double.NaN);
                }
                if (!Double.isFinite(net.params().sumNumber().doubleValue())) {
                    counter.stop(StopReason.DIVERGED);
                } else if (p.value >= target && timeToTarget == null) {
                    timeToTarget = p.seconds;
                    counter.stop(StopReason.TARGET_ACCURACY);
                }
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
        TrainingReport.Builder r = new TrainingReport.Builder();
        r.config().putAll(config.provenance());
        r.config().put("algorithm", loop.key);
        r.config().put("store", null);
        r.config().put("workers", m);
        r.config().put("epochs", epochs == Integer.MAX_VALUE ? null : epochs);
        r.config().put("eval_every", null);
        r.config().put("evaluation", "test set after every epoch, not timed");
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
        r.workerSeconds(m * seconds);
        r.stepsPerSecond(steps / seconds);
        r.batchesProcessed(steps);
        r.epochsCompleted(epochsRun);
        r.lossTrace(new ArrayList<>(counter.lossTrace));
        r.accuracyTrace(accuracy);
        if (!accuracy.isEmpty() && counter.reason != StopReason.DIVERGED) {
            r.finalAccuracy(accuracy.get(accuracy.size() - 1).value);
        }
        if (timeToTarget != null) {
            r.timeToTargetSeconds(timeToTarget);
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
        return loop == Loop.NET_FIT ? "net.fit (DL4J, 1 thread)"
                : String.format(Locale.ROOT, "parallelwrapper (DL4J), %d workers", config.workers());
    }
}
