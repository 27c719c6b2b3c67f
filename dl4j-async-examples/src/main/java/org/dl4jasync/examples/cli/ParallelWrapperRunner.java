package org.dl4jasync.examples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

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
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs DL4J's own {@link ParallelWrapper} (builder defaults: parameter averaging after every iteration, prefetch
 * 16 per the builder) and fills the same report, for side-by-side comparison. Staleness is not defined for it and
 * left empty; steps are minibatch iterations over all workers.
 */
final class ParallelWrapperRunner {
    private ParallelWrapperRunner() {
    }

    /** Counts iterations of all replicas (called concurrently by ParallelWrapper's workers). */
    private static final class Counter extends BaseTrainingListener {
        final AtomicLong steps = new AtomicLong();
        final long t0 = System.nanoTime();
        final long maxSteps;
        final long deadline;
        final AtomicBoolean stopRequested = new AtomicBoolean();
        final List<TracePoint> lossTrace = new ArrayList<>();
        double lossSum;
        long lossCount;
        volatile ParallelWrapper wrapper;

        Counter(long maxSteps, long deadline) {
            this.maxSteps = maxSteps;
            this.deadline = deadline;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            long n = steps.incrementAndGet();
            synchronized (this) {
                lossSum += model.score();
                lossCount++;
                if (n % 50 == 0) {
                    lossTrace.add(new TracePoint((System.nanoTime() - t0) / 1e9, n, lossSum / lossCount));
                    lossSum = 0;
                    lossCount = 0;
                }
            }
            if ((n >= maxSteps || System.nanoTime() >= deadline) && stopRequested.compareAndSet(false, true)) {
                ParallelWrapper w = wrapper;
                if (w != null) {
                    w.stopFit();
                }
            }
        }
    }

    static TrainingReport run(Experiment experiment, RunConfig config, MultiLayerNetwork net, TrainTest data,
                              ProgressListener progress) {
        int m = config.workers();
        long maxSteps = config.maxSteps().orElse(Long.MAX_VALUE);
        Counter counter = new Counter(maxSteps, config.timeLimit().map(d -> System.nanoTime() + d.toNanos())
                .orElse(Long.MAX_VALUE));
        int savedThreads = Nd4j.getEnvironment().maxThreads();
        if (m > 1) {
            Nd4j.getEnvironment().setMaxThreads(1);
        }
        int epochsRun = 0;
        int epochs = config.epochs(TrainOptions.DEFAULT_EPOCHS);
        long t0 = System.nanoTime();
        try (ParallelWrapper pw = new ParallelWrapper.Builder<>(net).workers(m).build()) {
            counter.wrapper = pw;
            pw.setListeners(counter);
            DataSetIterator train = experiment.trainIterator(data);
            for (int e = 0; e < epochs && !counter.stopRequested.get(); e++) {
                train.reset();
                pw.fit(train);
                epochsRun++;
                if (progress != null) {
                    progress.onProgress((System.nanoTime() - t0) / 1e9, counter.steps.get(), -1, Double.NaN,
                            Double.NaN);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("ParallelWrapper failed: " + e, e);
        } finally {
            if (m > 1) {
                Nd4j.getEnvironment().setMaxThreads(savedThreads);
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        TrainingReport.Builder r = new TrainingReport.Builder();
        r.config().putAll(config.provenance());
        r.config().put("algorithm", "parallelwrapper");
        r.config().put("store", null);
        r.config().put("epochs", epochs == Integer.MAX_VALUE ? null : epochs);
        r.config().put("eval_every", 0);
        r.algorithm("parallelwrapper");
        r.store(null);
        r.stepSize("constant");
        r.workers(m);
        long steps = counter.steps.get();
        r.stopReason(counter.stopRequested.get() ? (steps >= maxSteps ? StopReason.MAX_STEPS : StopReason.TIME_LIMIT)
                : StopReason.EPOCHS);
        r.stepsStarted(steps);
        r.stepsAccepted(steps);
        r.acceptanceRate(steps == 0 ? 0 : 1);
        r.wallSeconds(wall);
        r.workerSeconds(m * wall);
        r.stepsPerSecond(steps / wall);
        r.batchesProcessed(steps);
        r.epochsCompleted(counter.stopRequested.get() ? Math.max(0, epochsRun - 1) : epochsRun);
        r.lossTrace(new ArrayList<>(counter.lossTrace));
        double acc = net.evaluate(Experiment.testIterator(data)).accuracy();
        r.accuracyTrace(List.of(new TracePoint((System.nanoTime() - t0) / 1e9, steps, acc)));
        r.finalAccuracy(acc);
        if (acc >= config.targetAccuracy().orElse(Double.POSITIVE_INFINITY)) {
            r.timeToTargetSeconds(wall);
        }
        return r.build();
    }
}
