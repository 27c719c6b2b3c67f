package org.dl4jasync.examples.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.dl4jasync.config.RunConfig;
import org.dl4jasync.examples.data.DataNotFoundException;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.trainer.TrainingFailedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code dl4j-async train}: trains a model and prints (or writes) the report. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train LeNet or an MLP on Fashion-MNIST or CIFAR with asynchronous workers (or a baseline) and report "
                + "accuracy, throughput and the staleness of every applied update.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    TrainOptions options;

    @Override
    public Integer call() {
        Experiment experiment;
        RunConfig config;
        TrainTest data;
        try {
            experiment = options.experiment().forTraining();
            config = options.runConfig();
            data = experiment.loadData();
        } catch (UsageException | DataNotFoundException e) {
            return Main.usageError("train", e.getMessage());
        } catch (IOException e) {
            return Main.usageError("train", "cannot read the data set: " + e.getMessage());
        }
        PrintStream out = System.out;
        if (!options.quiet) {
            out.printf(Locale.ROOT, "dl4j-async train: %s, %s, %s on %s (%d train / %d test)%n", experiment.model(),
                    options.baseline != null ? Dl4jBaseline.describe(options.baseline, config) : config.describe(),
                    experiment.describe(), data.source, data.train.count, data.test.count);
        }
        TrainingReport report;
        try (ConsoleProgress progress = options.quiet ? null : new ConsoleProgress()) {
            report = options.baseline != null
                    ? ExperimentRunner.runBaseline(options.baseline, experiment, config, data, progress)
                    : ExperimentRunner.run(experiment, config, data, progress);
        } catch (TrainingFailedException e) {
            System.err.println("dl4j-async train: " + e.getMessage());
            e.getCause().printStackTrace(System.err);
            return Main.EXIT_FAILED;
        } catch (UsageException | org.dl4jasync.checkpoint.IncompatibleCheckpointException e) {
            return Main.usageError("train", e.getMessage());
        } catch (RuntimeException e) {
            System.err.println("dl4j-async train: training failed: " + e);
            e.printStackTrace(System.err);
            return Main.EXIT_FAILED;
        }
        int written = ReportFiles.write("train", report, options);
        if (written != 0) {
            return written;
        }
        if (!options.quiet) {
            Summary.print(report, out);
        }
        return 0;
    }
}
