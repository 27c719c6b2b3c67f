package org.dl4jasync.examples.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.examples.data.DataNotFoundException;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.simulation.StepTimes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dl4j-async simulate}: m asynchronous workers in deterministic virtual time. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Simulate m asynchronous workers (up to thousands) in deterministic virtual time: the same "
                + "dispatcher, step-size and metrics code as train; --model none simulates scheduling only.")
public final class SimulateCommand implements Callable<Integer> {
    @Mixin
    TrainOptions options;

    @Option(
            order = 100,
            names = "--step-time",
            paramLabel = "DIST",
            defaultValue = "exp:0.01",
            description =
                    "Virtual step time: constant:T, uniform:A,B, exp:MEAN, shifted-exp:SHIFT,MEAN, "
                            + "lognormal:MU,SIGMA, bimodal:T,FRACTION,FACTOR or measured:REPORT.json. Default: ${DEFAULT-VALUE}.")
    String stepTime;

    @Option(
            order = 101,
            names = "--apply-time",
            paramLabel = "DIST",
            description = "Virtual time of an apply (same forms); models CAS contention for --store leashed, lock "
                    + "queueing for locked. Default: instantaneous.")
    String applyTime;

    @Option(
            order = 102,
            names = "--poll-delay",
            paramLabel = "SECONDS",
            defaultValue = "1e-4",
            description = "Virtual time a signalled waiting worker takes to try again. Default: ${DEFAULT-VALUE}.")
    double pollDelay;

    @Option(
            order = 104,
            names = "--gradient-threads",
            paramLabel = "N",
            description = "Threads that compute the virtual workers' gradients ahead of time (0: when each step "
                    + "finishes, on the simulation thread); the result is the same for every N. Default: the cores.")
    Integer gradientThreads;

    @Option(
            order = 103,
            names = "--virtual-time-limit",
            paramLabel = "SECONDS",
            description = "Stop at this virtual time.")
    void virtualTimeLimit(double seconds) {
        options.set(() -> options.config.virtualTimeLimit(seconds));
    }

    /** What a simulation needs, checked; bad usage is a {@link UsageException}. */
    record Prepared(Experiment experiment, RunConfig config, SimulationRunner.Timing timing) {}

    /** Checks the options together (also for {@code compare}, before anything runs). */
    Prepared prepare() {
        Experiment experiment = options.experiment().forSimulation();
        if (options.baseline != null) {
            throw new UsageException(
                    "--algorithm",
                    options.baseline.key,
                    "one of sequential, sync, async, " + "interval, elastic (DL4J's own loops run only in train)");
        }
        if (!experiment.hasModel() && (options.targetAccuracy != null || options.evalEvery != null)) {
            throw new UsageException(
                    "--model", "none", "lenet or mlp when --target-accuracy or --eval-every is " + "given");
        }
        RunConfig config = options.runConfig();
        if (!experiment.hasModel() && config.needsModelLearningRate()) {
            throw new UsageException(
                    "--step-size",
                    "mindthestep",
                    "--mts-eta as well with --model none (its c(τ) " + "needs the base learning rate)");
        }
        int m = config.workers();
        try {
            StepTimes.parse(stepTime, m);
            if (applyTime != null) {
                StepTimes.parse(applyTime, m);
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(
                    (e.getMessage().contains("'" + stepTime + "'") ? "--step-time: " : "--apply-time: ")
                            + e.getMessage());
        }
        return new Prepared(
                experiment, config, new SimulationRunner.Timing(stepTime, applyTime, pollDelay, gradientThreads));
    }

    @Override
    public Integer call() {
        Experiment experiment;
        RunConfig config;
        SimulationRunner.Timing timing;
        try {
            Prepared p = prepare();
            ReportFiles.checkWritable(options);
            experiment = p.experiment();
            config = p.config();
            timing = p.timing();
        } catch (UsageException e) {
            return Main.usageError("simulate", e.getMessage());
        }
        PrintStream out = System.out;
        TrainingReport report;
        try {
            if (!options.quiet) {
                out.printf(
                        Locale.ROOT,
                        "dl4j-async simulate: %s, model %s, step time %s%s%n",
                        config.describe(),
                        experiment.model(),
                        stepTime,
                        applyTime == null ? "" : ", apply time " + applyTime);
            }
            report = SimulationRunner.run(experiment, config, timing);
        } catch (UsageException | DataNotFoundException e) {
            return Main.usageError("simulate", e.getMessage());
        } catch (IOException e) {
            return Main.usageError("simulate", "cannot read the data set: " + e.getMessage());
        } catch (RuntimeException e) {
            System.err.println("dl4j-async simulate: simulation failed: " + e);
            e.printStackTrace(System.err);
            return Main.EXIT_FAILED;
        }
        int written = ReportFiles.write("simulate", report, options);
        if (written != 0) {
            return written;
        }
        if (!options.quiet) {
            out.printf(
                    Locale.ROOT,
                    "  virtual time %.3f s (simulated in %.2f s of wall time)%n",
                    report.virtualSeconds(),
                    report.wallSeconds());
            Summary.print(report, out);
        }
        return 0;
    }
}
