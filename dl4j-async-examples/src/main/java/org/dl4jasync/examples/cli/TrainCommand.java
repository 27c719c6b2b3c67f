package org.dl4jasync.examples.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import org.deeplearning4j.nn.api.Model;
import org.dl4jasync.checkpoint.IncompatibleCheckpointException;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.examples.data.DataNotFoundException;
import org.dl4jasync.examples.data.OwnData;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.trainer.TrainingFailedException;
import org.nd4j.linalg.dataset.DataSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dl4j-async train}: trains a model and prints (or writes) the report. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Train LeNet, an MLP or a small ResNet on Fashion-MNIST or CIFAR, or your own network (--model-file) "
                        + "on your own data (--data), with asynchronous workers (or a baseline) and report accuracy, "
                        + "throughput and the staleness of every applied update.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    TrainOptions options;

    @Mixin
    OwnInputs own;

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--ui",
            arity = "0..1",
            paramLabel = "PORT",
            fallbackValue = "9000",
            description = "Watch the training in DL4J's training UI (http://localhost:PORT/train; default port 9000): "
                    + "one session, one worker per worker thread. With a terminal, the UI stays up after training "
                    + "until Enter is pressed.")
    Integer uiPort;

    @Override
    public Integer call() {
        try {
            var parsed = spec.commandLine().getParseResult();
            own.check(parsed::hasMatchedOption, options.exp.model);
        } catch (UsageException e) {
            return Main.usageError("train", e.getMessage());
        }
        if (!cluster.used()) {
            return trainHere();
        }
        return new ClusterTraining(cluster, options, spec.commandLine().getParseResult()).run(publish -> {
            published = publish;
            return trainHere();
        });
    }

    /** With --cluster: receives this member's report before it is written (for the coordinator). */
    private Consumer<TrainingReport> published = r -> {};

    /** Trains in this process (with --cluster: on the cluster's store). */
    private int trainHere() {
        if (own.ownModel() || own.ownData()) {
            return trainOwn();
        }
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
            return Main.usageError(
                    "train", "--ui is for dl4j-async's trainer, not --algorithm netfit or " + "parallelwrapper");
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
            out.printf(
                    Locale.ROOT,
                    "dl4j-async train: %s, %s, %s on %s (%d train / %d test)%n",
                    experiment.model(),
                    options.baseline != null ? Dl4jBaseline.describe(options.baseline, config) : config.describe(),
                    experiment.describe(),
                    data.source,
                    data.train.count,
                    data.test.count);
        }
        Outcome o = attempt(progress -> options.baseline != null
                ? ExperimentRunner.runBaseline(options.baseline, experiment, config, data, progress, this::trained)
                : ExperimentRunner.run(
                        experiment,
                        config,
                        data,
                        progress,
                        this::trained,
                        ui == null
                                ? new org.deeplearning4j.optimize.api.TrainingListener[0]
                                : new org.deeplearning4j.optimize.api.TrainingListener[] {ui.listener()}));
        if (o.report() == null) {
            return o.status();
        }
        TrainingReport report = o.report();
        return finish(report, out);
    }

    /** A training run's report, or (report null) the exit status of its failure. */
    private record Outcome(TrainingReport report, int status) {}

    /** Runs {@code fit} with the progress display; a failure is said on stderr and becomes the exit status. */
    private Outcome attempt(Function<ConsoleProgress, TrainingReport> fit) {
        try (ConsoleProgress progress = options.quiet ? null : new ConsoleProgress()) {
            return new Outcome(fit.apply(progress), 0);
        } catch (TrainingFailedException e) {
            System.err.println("dl4j-async train: " + e.getMessage());
            e.getCause().printStackTrace(System.err);
            return new Outcome(null, Main.EXIT_FAILED);
        } catch (UsageException | IncompatibleCheckpointException e) {
            return new Outcome(null, Main.usageError("train", e.getMessage()));
        } catch (RuntimeException e) {
            System.err.println("dl4j-async train: training failed: " + e);
            e.printStackTrace(System.err);
            return new Outcome(null, Main.EXIT_FAILED);
        }
    }

    /** The trained network, kept for --save-model. */
    private Model trainedModel;

    private void trained(Model m) {
        trainedModel = m;
    }

    /** Writes the report, prints the summary, saves the model (--save-model); the exit status. */
    private int finish(TrainingReport report, PrintStream out) {
        published.accept(report);
        int written = ReportFiles.write("train", report, options);
        if (written != 0) {
            return written;
        }
        if (!options.quiet) {
            Summary.print(report, out);
        }
        if (own.saveModel != null) {
            if (trainedModel == null) {
                throw new IllegalStateException("--save-model: no trained network was kept"); // a wiring bug
            }
            try {
                ModelFile.save(trainedModel, own.saveModel);
                if (!options.quiet) {
                    out.println("  model        " + own.saveModel + " (with its updater state)");
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("dl4j-async train: --save-model " + own.saveModel + " could not be written: " + e);
                return Main.EXIT_FAILED;
            }
        }
        return checkpointStatus(report);
    }

    /**
     * The user's own network (--model-file) or data (--data), or both: everything read and checked against each
     * other before training (exit 2 with one line naming the file), then trained by our trainer.
     */
    private int trainOwn() {
        RunConfig config;
        OwnData train;
        OwnData test;
        Model net;
        String model;
        try {
            if (options.baseline != null) {
                throw new UsageException("--model-file and --data train with dl4j-async's trainer, not --algorithm "
                        + "netfit or parallelwrapper");
            }
            if (uiPort != null) {
                throw new UsageException("--ui is not offered with --model-file or --data");
            }
            config = options.runConfig();
            ReportFiles.checkWritable(options);
            OwnData[] parts;
            if (own.ownData()) {
                parts = own.load(config.seed());
            } else {
                TrainTest data = options.experiment().loadData(); // a built-in set for the user's network
                parts = new OwnData[] {builtIn(data, true), builtIn(data, false)};
            }
            train = parts[0];
            test = parts[1];
            if (own.ownModel()) {
                ModelFile.Loaded loaded = ModelFile.load(own.modelFile);
                net = loaded.model();
                ModelFile.checkFits(net, train, "--model-file " + own.modelFile);
                model = loaded.kind() + " from " + own.modelFile + " ("
                        + (loaded.withUpdaterState() ? "with" : "without") + " updater state)";
            } else {
                Experiment e = options.experiment().forTraining();
                long[] shape = train.exampleShape(); // [features] or [channels, height, width]
                boolean image = shape.length == 3;
                try {
                    net = e.buildModel(
                            image ? (int) shape[1] : 1,
                            image ? (int) shape[2] : (int) shape[0],
                            image ? (int) shape[0] : 1,
                            train.classes,
                            config.seed());
                } catch (RuntimeException x) { // DL4J refuses the configuration, e.g. images too small for it
                    throw new UsageException("--model " + options.exp.model + " cannot be built for examples of shape "
                            + Arrays.toString(shape) + ": "
                            + String.valueOf(x.getMessage()).lines().findFirst().orElse(x.toString()));
                }
                train = train.flat(); // the built-in models read flat rows (CHW order)
                test = test.flat();
                ModelFile.checkFits(net, train, "--model " + options.exp.model);
                model = options.exp.model + " (sized to the data)";
            }
        } catch (UsageException e) {
            return Main.usageError("train", e.getMessage());
        } catch (IOException e) {
            return Main.usageError("train", e.getMessage());
        }
        PrintStream out = System.out;
        if (!options.quiet) {
            out.printf(
                    Locale.ROOT,
                    "dl4j-async train: %s, %s, batch %d on %s (%d train / %d test)%n",
                    model,
                    config.describe(),
                    options.exp.batch,
                    train.source,
                    train.count(),
                    test.count());
        }
        OwnData trainData = train;
        OwnData testData = test;
        Outcome o = attempt(
                progress -> ExperimentRunner.runOwn(net, config, trainData, testData, options.exp.batch, progress));
        if (o.report() == null) {
            return o.status();
        }
        TrainingReport report = o.report();
        Map<String, Object> c = new LinkedHashMap<>(own.provenance());
        if (!own.ownModel()) {
            c.put("model", options.exp.model);
        }
        c.put("batch", options.exp.batch);
        c.putAll(report.config());
        c.put("data_source", train.source);
        trainedModel = net;
        return Signals.exitStatus(finish(report.withConfig(c), out));
    }

    /** A built-in data set's training or test part as examples (normalised as for the built-in models). */
    private static OwnData builtIn(TrainTest data, boolean training) {
        List<DataSet> all = new ArrayList<>();
        var it = training ? data.trainIterator(1000).build() : data.testIterator(1000);
        it.forEachRemaining(all::add);
        DataSet d = DataSet.merge(all);
        return OwnData.of(d.getFeatures(), d.getLabels(), data.classNames, data.source + (training ? "" : " (test)"));
    }

    /**
     * 0, or {@link Main#EXIT_FAILED} when the run's end state is in no checkpoint (the report and the trained
     * parameters are there, but a resume would repeat work); failed checkpoint writes are said on stderr, quiet
     * or not.
     */
    static int checkpointStatus(TrainingReport report) {
        Map<String, Object> c = report.checkpoints();
        if (c == null) {
            return 0;
        }
        Object failed = c.get("failed");
        if (failed instanceof Number && ((Number) failed).longValue() > 0) {
            System.err.printf(
                    Locale.ROOT,
                    "dl4j-async train: WARNING: %s checkpoint write(s) failed (last error: "
                            + "%s); the newest checkpoint is %s%n",
                    failed,
                    c.get("last_error"),
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
