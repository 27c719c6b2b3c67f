package org.dl4jasync.examples.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.examples.data.FashionMnist;
import org.dl4jasync.examples.data.LabeledImages;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.examples.models.Models;
import org.dl4jasync.metrics.AsynchronyNoise;
import org.dl4jasync.metrics.HeldOutLossMonitor;
import org.dl4jasync.metrics.LossMonitor;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.trainer.Algorithm;
import org.dl4jasync.trainer.AsyncTrainer;
import org.dl4jasync.trainer.ProgressListener;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** Runs one {@link RunSpec}: the {@code train} command and the benchmarks share it. */
public final class ExperimentRunner {
    /** Test-set evaluation batch size (evaluation only; does not affect training). */
    public static final int EVAL_BATCH = 500;
    /** Measured iterations per point of the asynchrony-noise trace. */
    static final long AIN_EVERY = 50;

    private ExperimentRunner() {
    }

    public static TrainTest loadData(RunSpec spec) throws IOException {
        switch (spec.dataset) {
            case "embedded":
                return FashionMnist.embedded();
            case "fashion-mnist":
                return FashionMnist.full(spec.dataDir);
            default:
                throw new UsageException("--dataset", spec.dataset, "one of " + String.join(", ", RunSpec.DATASETS));
        }
    }

    public static MultiLayerNetwork buildModel(RunSpec spec, TrainTest data) {
        LabeledImages t = data.train;
        MultiLayerConfiguration conf = "mlp".equals(spec.model)
                ? Models.mlp(t.features(), t.classes, Models.sgd(spec.lr, spec.momentum), spec.seed)
                : Models.lenet(t.height, t.width, t.channels, t.classes, Models.sgd(spec.lr, spec.momentum), spec.seed);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    public static DataSetIterator trainIterator(RunSpec spec, TrainTest data) {
        return new ExistingDataSetIterator(data.train.batches(spec.batch));
    }

    public static DataSetIterator testIterator(TrainTest data) {
        return new ExistingDataSetIterator(data.test.batches(EVAL_BATCH));
    }

    /**
     * Composes a run: an IllegalArgumentException raised here is bad usage (the builder's rules), reported with exit
     * status 2 before anything trains.
     */
    static <T> T usage(java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * Trains a fresh model as {@code spec} says and returns the report (its config filled). Throws
     * {@link UsageException} when the options cannot be composed; anything thrown while training is a failure.
     */
    public static TrainingReport run(RunSpec spec, TrainTest data, ProgressListener progress) {
        MultiLayerNetwork net = buildModel(spec, data);
        TrainingReport report;
        if ("parallelwrapper".equals(spec.algorithm)) {
            report = ParallelWrapperRunner.run(spec, net, data, progress);
        } else {
            long t0 = System.nanoTime();
            DoubleSupplier clock = () -> (System.nanoTime() - t0) / 1e9;
            AtomicReference<AsyncTrainer> trainerRef = new AtomicReference<>();
            LossMonitor heldOut = null;
            if ("eval".equals(spec.lossMonitor)) {
                heldOut = new HeldOutLossMonitor(net.getLayerWiseConfigurations(), data.lastTraining(RunSpec.HELD_OUT),
                        p -> trainerRef.get().copyLatestParams(p));
                data = data.withoutLastTraining(RunSpec.HELD_OUT);
            }
            AsyncTrainer.Builder b = new AsyncTrainer.Builder(net)
                    .algorithm(SimulationRunner.runAlgorithm(spec))
                    .store(ParameterStore.Kind.valueOf(spec.store.toUpperCase(Locale.ROOT)))
                    .workers(spec.effectiveWorkers())
                    .stepSize(StepSizeSetup.create(spec, spec.effectiveWorkers()))
                    .persistence(spec.persistence)
                    .seed(spec.seed)
                    .evaluation(testIterator(data), spec.effectiveEvalEvery());
            Controls.apply(spec, b, clock, heldOut);
            if (spec.measureAin) {
                b.asynchronyNoise(new AsynchronyNoise(clock, AIN_EVERY, 4L * spec.effectiveWorkers() + 16));
            }
            if (spec.maxSteps != null) {
                b.maxSteps(spec.maxSteps);
            }
            if (spec.timeLimitSeconds != null) {
                b.timeLimit(Duration.ofNanos((long) (spec.timeLimitSeconds * 1e9)));
            }
            if (spec.targetAccuracy != null) {
                b.targetAccuracy(spec.targetAccuracy);
            }
            if (progress != null) {
                b.progress(progress, Duration.ofMillis(200));
            }
            try (AsyncTrainer trainer = usage(b::build)) {
                trainerRef.set(trainer);
                report = trainer.fit(trainIterator(spec, data), spec.effectiveEpochs());
            }
            if (heldOut != null) {
                report.config.put("held_out_examples", RunSpec.HELD_OUT);
            }
        }
        java.util.Map<String, Object> extra = report.config;
        report.config = spec.toConfig();
        report.config.putAll(extra);
        report.config.put("data_source", data.source);
        return report;
    }
}
