package org.dl4jasync.examples.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Plans and runs a suite: one run per seed and configuration, configurations interleaved per seed (seed 1 of every
 * configuration, then seed 2, …) so that drift of the machine hits all alike; one at a time; each run is its own
 * command invocation ({@link Executor}: by default a fresh JVM, so no run inherits another's JIT or native memory).
 * A run's report is written to a temporary file and renamed when the run succeeded, so a report that exists is
 * complete: {@code --resume} skips those runs, and an interrupted suite continues where it stopped.
 */
public final class Comparison {
    /** Seconds a run takes besides its time limit (JVM start, data loading, the final evaluation). */
    static final double OVERHEAD_SECONDS = 20;

    /** One run of the plan. */
    public record PlannedRun(Suite.Configuration configuration, long seed, Path report, List<String> args) {
        public String label() {
            return configuration.name() + " seed " + seed;
        }
    }

    /** Runs one command invocation; writes the report to {@code report} or fails. */
    @FunctionalInterface
    public interface Executor {
        /** @return the exit status (0: the report was written) */
        int run(List<String> args, Path log) throws IOException, InterruptedException;
    }

    private Comparison() {
    }

    /** The runs of {@code suite} for {@code seeds} (the suite's when null), in execution order. */
    public static List<PlannedRun> plan(Suite suite, Path out, List<Long> seeds) {
        List<PlannedRun> runs = new ArrayList<>();
        for (long seed : seeds == null ? suite.seeds() : seeds) {
            for (Suite.Configuration c : suite.configurations()) {
                Path report = out.resolve("runs").resolve(fileName(c.name()) + "-seed" + seed + ".json");
                List<String> args = new ArrayList<>();
                args.add(suite.command());
                args.addAll(c.args());
                args.add("--seed");
                args.add(String.valueOf(seed));
                if (suite.timeLimit().isPresent()) {
                    args.add(suite.command().equals("simulate") ? "--virtual-time-limit" : "--time-limit");
                    args.add(String.format(Locale.ROOT, "%s", suite.timeLimit().getAsDouble()));
                }
                args.add("--quiet");
                args.add("--json");
                args.add(partial(report).toString());
                runs.add(new PlannedRun(c, seed, report, List.copyOf(args)));
            }
        }
        return runs;
    }

    static Path partial(Path report) {
        return report.resolveSibling(report.getFileName() + ".part");
    }

    /** A configuration name as a file name: letters, digits, '.', '-', '_' and '=' kept, the rest '_'. */
    static String fileName(String name) {
        return name.replaceAll("[^A-Za-z0-9.=_-]+", "_");
    }

    /** Estimated seconds of a run: its (wall-clock) time limit plus overhead; empty when it has none. */
    public static OptionalDouble estimatedSeconds(Suite suite) {
        if (suite.timeLimit().isEmpty() || suite.command().equals("simulate")) {
            return OptionalDouble.empty(); // virtual time says nothing about wall time
        }
        return OptionalDouble.of(suite.timeLimit().getAsDouble() + OVERHEAD_SECONDS);
    }

    /** Receives the progress of {@link #run}. */
    public interface Progress {
        void started(PlannedRun run, int index, int total);

        void finished(PlannedRun run, boolean ok, boolean skipped);
    }

    /**
     * Runs the plan: a run whose report exists is skipped; one whose command fails is recorded (its log kept) and
     * the suite goes on. Returns the runs that failed.
     */
    public static List<PlannedRun> run(List<PlannedRun> plan, Executor executor, Progress progress)
            throws IOException, InterruptedException {
        List<PlannedRun> failed = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            PlannedRun r = plan.get(i);
            if (Files.isRegularFile(r.report())) {
                progress.finished(r, true, true);
                continue;
            }
            Files.createDirectories(r.report().getParent());
            Path log = r.report().resolveSibling(fileName(r.configuration().name()) + "-seed" + r.seed() + ".log");
            progress.started(r, i, plan.size());
            int code = executor.run(r.args(), log);
            Path part = partial(r.report());
            boolean ok = code == 0 && Files.isRegularFile(part);
            if (ok) {
                Files.move(part, r.report(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(part);
                failed.add(r);
            }
            progress.finished(r, ok, false);
        }
        return failed;
    }

    /** The results of the runs whose reports exist, in plan order. */
    public static List<RunResult> results(List<PlannedRun> plan, List<Double> targets) throws IOException {
        List<RunResult> out = new ArrayList<>();
        for (PlannedRun r : plan) {
            if (Files.isRegularFile(r.report())) {
                out.add(RunResult.read(r.report(), r.configuration().name(), r.seed(), targets));
            }
        }
        return out;
    }
}
