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
import picocli.CommandLine.Option;

/** {@code dl4j-async train}: trains a model and prints (or writes) the report. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train LeNet, an MLP or a small ResNet on Fashion-MNIST or CIFAR with asynchronous workers (or a "
                + "baseline) and report accuracy, throughput and the staleness of every applied update.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    TrainOptions options;

    @Option(names = "--ui", arity = "0..1", paramLabel = "PORT", fallbackValue = "9000",
            description = "Watch the training in DL4J's training UI (http://localhost:PORT/train; default port 9000): "
                    + "one session, one worker per worker thread. With a terminal, the UI stays up after training "
                    + "until Enter is pressed.")
    Integer uiPort;

    @Override
    public Integer call() {
        Experiment experiment;
        RunConfig config;
        TrainTest data;
        try {
            experiment = options.experiment().forTraining();
            config = options.runConfig();
            ReportFiles.checkWritable(options);
            data = experiment.loadData();
        } catch (UsageException | DataNotFoundException e) {
            return Main.usageError("train", e.getMessage());
        } catch (IOException e) {
            return Main.usageError("train", "cannot read the data set: " + e.getMessage());
        }
        if (uiPort != null && options.baseline != null) {
            return Main.usageError("train", "--ui is for dl4j-async's trainer, not --algorithm netfit or "
                    + "parallelwrapper");
        }
        if (uiPort != null && (uiPort < 1 || uiPort > 65535)) {
            return Main.usageError("train", "--ui: '" + uiPort + "' is not allowed; allowed: a TCP port in 1..65535");
        }
        PrintStream out = System.out;
        try (TrainingUi ui = uiPort == null ? null : TrainingUi.start(uiPort, out)) {
            int status = Signals.exitStatus(train(experiment, config, data, ui, out));
            if (ui != null && status == 0 && System.console() != null) {
                out.println("dl4j-async train: the UI stays at " + ui.address() + "; press Enter to stop it");
                System.console().readLine();
            }
            return status;
        }
    }

    private int train(Experiment experiment, RunConfig config, TrainTest data, TrainingUi ui, PrintStream out) {
        if (!options.quiet) {
            out.printf(Locale.ROOT, "dl4j-async train: %s, %s, %s on %s (%d train / %d test)%n", experiment.model(),
                    options.baseline != null ? Dl4jBaseline.describe(options.baseline, config) : config.describe(),
                    experiment.describe(), data.source, data.train.count, data.test.count);
        }
        TrainingReport report;
        try (ConsoleProgress progress = options.quiet ? null : new ConsoleProgress()) {
            report = options.baseline != null
                    ? ExperimentRunner.runBaseline(options.baseline, experiment, config, data, progress)
                    : ui == null ? ExperimentRunner.run(experiment, config, data, progress)
                    : ExperimentRunner.run(experiment, config, data, progress, ui.listener());
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
        return checkpointStatus(report);
    }

    /**
     * 0, or {@link Main#EXIT_FAILED} when the run's end state is in no checkpoint (the report and the trained
     * parameters are there, but a resume would repeat work); failed checkpoint writes are said on stderr, quiet
     * or not.
     */
    static int checkpointStatus(TrainingReport report) {
        java.util.Map<String, Object> c = report.checkpoints();
        if (c == null) {
            return 0;
        }
        Object failed = c.get("failed");
        if (failed instanceof Number && ((Number) failed).longValue() > 0) {
            System.err.printf(Locale.ROOT, "dl4j-async train: WARNING: %s checkpoint write(s) failed (last error: "
                    + "%s); the newest checkpoint is %s%n", failed, c.get("last_error"),
                    c.get("last") == null ? "none" : c.get("last"));
        }
        if (Boolean.FALSE.equals(c.get("final_written"))) {
            System.err.println("dl4j-async train: the final checkpoint was not written: a resume starts from "
                    + (c.get("last") == null ? "the beginning" : c.get("last")));
            return Main.EXIT_FAILED;
        }
        return 0;
    }
}
