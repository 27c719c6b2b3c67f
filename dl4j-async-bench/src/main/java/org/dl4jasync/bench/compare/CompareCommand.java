package org.dl4jasync.bench.compare;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import org.dl4jasync.examples.cli.Main;
import org.dl4jasync.examples.cli.PluginCommand;
import org.dl4jasync.examples.cli.ReportFiles;
import org.dl4jasync.examples.cli.RunCheck;
import org.dl4jasync.examples.cli.Terminal;
import org.dl4jasync.examples.cli.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dl4j-async compare --suite FILE --out DIR [--seeds LIST] [--resume] [--dry-run] [--jobs N]}: runs a suite
 * of {@code train} or {@code simulate} invocations, one JVM each (simulations up to N at a time), and writes every
 * report, {@code runs.csv}, {@code summary.md}, the figures ({@link Plots#writeAll}) and {@code report.html}.
 */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Run a suite of train or simulate runs (one JVM each, configurations interleaved per seed) and "
                + "summarise them over seeds: medians with bootstrap 95%% intervals, times to target accuracies, "
                + "paired comparisons against a baseline.")
public final class CompareCommand implements PluginCommand {
    @Option(names = "--suite", required = true, paramLabel = "FILE", description = "The suite (YAML or JSON).")
    Path suiteFile;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where reports and summaries go.")
    Path out;

    @Option(
            names = "--seeds",
            split = ",",
            paramLabel = "LIST",
            description = "Run these seeds instead of the " + "suite's.")
    List<Long> seeds;

    @Option(names = "--resume", description = "Skip runs whose report exists in DIR (continue an interrupted suite).")
    boolean resume;

    @Option(names = "--dry-run", description = "List the runs and their estimated time; run nothing.")
    boolean dryRun;

    @Option(
            names = "--jobs",
            paramLabel = "N",
            defaultValue = "1",
            description = "Runs at a time, for simulate "
                    + "suites only (their results are in virtual time; train runs would disturb each other's times). "
                    + "Default: 1.")
    int jobs;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Suite suite;
        try {
            suite = SuiteFile.read(suiteFile, RunCheck::check);
        } catch (SuiteException e) {
            return Main.usageError("compare", e.getMessage());
        } catch (IOException e) {
            return Main.usageError("compare", "cannot read " + suiteFile + ": " + e.getMessage());
        }
        int cores = Runtime.getRuntime().availableProcessors();
        if (jobs < 1 || jobs > 1 && !suite.command().equals("simulate") || jobs > cores) {
            return Main.usageError(
                    "compare",
                    "--jobs: '" + jobs + "' is not allowed; expected 1"
                            + (suite.command().equals("simulate")
                                    ? " to " + cores + " (the cores)"
                                    : " for a train suite (runs side by side would disturb each other's times)"));
        }
        List<Comparison.PlannedRun> plan = Comparison.plan(suite, out, seeds);
        long existing =
                plan.stream().filter(r -> Files.isRegularFile(r.report())).count();
        long toRun = plan.size() - existing;
        if (dryRun) {
            for (Comparison.PlannedRun r : plan) {
                System.out.println((Files.isRegularFile(r.report()) ? "done  " : "run   ") + r.label() + ": "
                        + String.join(" ", r.args()));
            }
            Comparison.Estimate estimate = Comparison.estimate(suite, plan, jobs);
            String time = estimate.unknown() == toRun && toRun > 0
                    ? "unknown (no wall-clock time limit and no finished run to go by)"
                    : Terminal.duration(estimate.seconds())
                            + (jobs > 1 ? " with " + jobs + " jobs" : "")
                            + (estimate.unknown() > 0
                                    ? " plus " + estimate.unknown() + " runs of configurations with no "
                                            + "finished run to go by"
                                    : "");
            System.out.printf(Locale.ROOT, "%d runs, %d to run, estimated %s%n", plan.size(), toRun, time);
            return 0;
        }
        if (existing > 0 && !resume) {
            return Main.usageError(
                    "compare",
                    out + " already holds " + existing + " of the " + plan.size()
                            + " reports; pass --resume to continue the suite, or choose another --out");
        }
        try {
            ReportFiles.checkDirectory("--out", out);
        } catch (UsageException e) {
            return Main.usageError("compare", e.getMessage());
        }
        try (FileChannel lockFile =
                        FileChannel.open(out.resolve(SUITE_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock suiteLock = lockFile.tryLock()) {
            if (suiteLock == null) {
                return Main.usageError(
                        "compare",
                        "another compare is running on " + out + " (it holds " + out.resolve(SUITE_LOCK) + ")");
            }
            return runAndSummarise(suite, plan);
        }
    }

    /** The suite's lock file in --out, held while a compare runs there. */
    static final String SUITE_LOCK = ".compare.lock";

    private int runAndSummarise(Suite suite, List<Comparison.PlannedRun> plan)
            throws IOException, InterruptedException {
        List<Comparison.PlannedRun> failed;
        try (JvmExecutor executor = new JvmExecutor(Main.class.getName());
                CompareProgress progress = new CompareProgress(plan.size())) {
            failed = Comparison.run(plan, executor, progress, jobs);
        }
        List<RunResult> results = Comparison.results(suite, plan);
        SummaryWriter.writeCsv(out.resolve("runs.csv"), suite, results);
        String summary = SummaryWriter.summary(suite, results, plan.size(), failed.size());
        Files.writeString(out.resolve("summary.md"), summary);
        List<Path> figures = Plots.writeAll(suite, results, out);
        Files.writeString(out.resolve("report.html"), HtmlReport.html(suite.name(), summary, figures));
        System.out.println("dl4j-async compare: " + results.size() + " of " + plan.size() + " runs reported; "
                + out.resolve("summary.md"));
        return failed.isEmpty() ? 0 : Main.EXIT_FAILED;
    }
}
