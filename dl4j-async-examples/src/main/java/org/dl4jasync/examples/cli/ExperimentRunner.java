package org.dl4jasync.examples.cli;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.examples.data.OwnData;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.spec.InvalidOptionException;
import org.dl4jasync.trainer.AsyncTrainer;
import org.dl4jasync.trainer.ProgressListener;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Trains an {@link Experiment} as a {@link RunConfig} says, with our trainer or DL4J's ParallelWrapper: the
 * {@code train} command and the benchmarks share it. The core composes the run and fills the report (its
 * {@code config} included); this adds the data (evaluation on the test set, the held-out sample of
 * {@code --loss-monitor eval}) and the experiment's own settings.
 */
public final class ExperimentRunner {
    /** Training examples held out for {@code --loss-monitor eval} (not trained on). */
    public static final int HELD_OUT = 500;

    private ExperimentRunner() {}

    /**
     * Builds a run: an IllegalArgumentException raised here is bad usage (the engine's rules, checked before anything
     * trains), reported with exit status 2 and the options spelled as on the command line.
     */
    static <T> T usage(Supplier<T> build) {
        try {
            return build.get();
        } catch (InvalidOptionException e) {
            throw new UsageException(e.render(TrainOptions::option));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * Trains a fresh model of {@code experiment} on {@code data}, with DL4J {@code listeners} if any, and returns the
     * report. Throws {@link UsageException}
     * when the run cannot be built; anything thrown while training is a failure.
     */
    public static TrainingReport run(
            Experiment experiment,
            RunConfig config,
            TrainTest data,
            ProgressListener progress,
            TrainingListener... listeners) {
        return run(experiment, config, data, progress, m -> {}, listeners);
    }

    /** As {@link #run(Experiment, RunConfig, TrainTest, ProgressListener, TrainingListener...)}, giving the model. */
    public static TrainingReport run(
            Experiment experiment,
            RunConfig config,
            TrainTest data,
            ProgressListener progress,
            Consumer<Model> model,
            TrainingListener... listeners) {
        experiment.forTraining();
        Model net = experiment.buildModel(data, config.seed());
        model.accept(net);
        DataSet heldOut = null;
        if (config.lossMonitor().needsHeldOut()) {
            heldOut = data.lastTraining(HELD_OUT);
            data = data.withoutLastTraining(HELD_OUT);
        }
        TrainTest d = data;
        TrainingReport report = fit(
                net,
                config,
                () -> experiment.trainIterator(d, config.seed()),
                Experiment.testIterator(d),
                heldOut,
                experiment.augment(),
                progress,
                listeners);
        return withExperiment(report, experiment, data.source);
    }

    /**
     * Trains {@code net} (the user's network, or a built-in one sized to the data) on the user's own data, the last
     * examples of the training part held out for {@code --loss-monitor eval} as for the built-in sets.
     */
    public static TrainingReport runOwn(
            Model net,
            RunConfig config,
            OwnData train,
            OwnData test,
            int batch,
            ProgressListener progress,
            TrainingListener... listeners) {
        DataSet heldOut = null;
        if (config.lossMonitor().needsHeldOut()) {
            int n = Math.min(HELD_OUT, train.count() / 5);
            if (n < 1) {
                throw new UsageException(
                        "--loss-monitor eval holds out training examples: " + train.count() + " are too few");
            }
            OwnData[] parts = train.split((double) n / train.count(), config.seed());
            train = parts[0];
            heldOut = new DataSet(parts[1].features, parts[1].labels);
        }
        OwnData t = train;
        return fit(
                net,
                config,
                // the batches as they are (DL4J's ListDataSetIterator would merge `batch` of them into one)
                () -> new ExistingDataSetIterator(t.batches(batch)),
                new ExistingDataSetIterator(test.batches(Experiment.EVAL_BATCH)),
                heldOut,
                false,
                progress,
                listeners);
    }

    /** One run of our trainer on {@code net}: the part every kind of data shares. */
    private static TrainingReport fit(
            Model net,
            RunConfig config,
            Supplier<DataSetIterator> trainData,
            DataSetIterator test,
            DataSet heldOut,
            boolean prefetch,
            ProgressListener progress,
            TrainingListener... listeners) {
        AsyncTrainer.Builder b = new AsyncTrainer.Builder(net).config(config).listeners(listeners);
        if (heldOut != null) {
            b.heldOut(heldOut);
        }
        b.evaluation(test);
        if (progress != null) {
            b.progress(progress, Duration.ofMillis(200));
        }
        if (prefetch) {
            b.dataMode(AsyncTrainer.DataMode.PREFETCH); // read every epoch anew: fresh augmentation each time
        }
        try (AsyncTrainer trainer = usage(b::build)) {
            DataSetIterator train = trainData.get();
            int epochs = config.epochs(TrainOptions.DEFAULT_EPOCHS);
            return Signals.duringFit(() -> trainer.fit(train, epochs)); // a signal stops it: reason interrupted
        }
    }

    /**
     * Trains a fresh model with one of DL4J's own loops ({@code net.fit} or ParallelWrapper; the workers, epochs, max
     * steps, time limit and target accuracy of {@code config}).
     */
    public static TrainingReport runBaseline(
            Dl4jBaseline.Loop loop,
            Experiment experiment,
            RunConfig config,
            TrainTest data,
            ProgressListener progress) {
        return runBaseline(loop, experiment, config, data, progress, m -> {});
    }

    /** As {@link #runBaseline(Dl4jBaseline.Loop, Experiment, RunConfig, TrainTest, ProgressListener)}, giving the model. */
    public static TrainingReport runBaseline(
            Dl4jBaseline.Loop loop,
            Experiment experiment,
            RunConfig config,
            TrainTest data,
            ProgressListener progress,
            Consumer<Model> model) {
        experiment.forTraining();
        Model net = experiment.buildModel(data, config.seed());
        model.accept(net);
        TrainingReport report = Dl4jBaseline.run(loop, experiment, config, net, data, progress);
        return withExperiment(report, experiment, data.source);
    }

    /** The report with the experiment's settings first in its {@code config}, then the run's, then the data source. */
    static TrainingReport withExperiment(TrainingReport report, Experiment experiment, String source) {
        Map<String, Object> c = experiment.provenance();
        c.putAll(report.config());
        c.put("data_source", source);
        return report.withConfig(c);
    }
}
