package org.dl4jasync.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Plans and runs a suite: one run per seed and configuration, configurations interleaved per seed (seed 1 of every
 * configuration, then seed 2, …) so that drift of the machine hits all alike; one at a time (simulations, whose
 * results are in virtual time, may run several at a time); each run is its own
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

    private Comparison() {}

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
                if (!c.args().contains("--on-non-finite") && !isDl4jLoop(c.args())) {
                    args.add("--on-non-finite"); // a diverging run is a result to record, not a failed run
                    args.add("stop");
                }
                args.add("--quiet");
                args.add("--json");
                args.add(partial(report).toString());
                runs.add(new PlannedRun(c, seed, report, List.copyOf(args)));
            }
        }
        return runs;
    }

    /** Whether a configuration runs one of DL4J's own loops ({@code --algorithm netfit|parallelwrapper}). */
    private static boolean isDl4jLoop(List<String> args) {
        int a = args.indexOf("--algorithm");
        return a >= 0
                && a + 1 < args.size()
                && (args.get(a + 1).equals("netfit") || args.get(a + 1).equals("parallelwrapper"));
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

    /**
     * The wall time the unfinished runs of {@code plan} will take with {@code jobs} at a time, and how many of them
     * it could not estimate.
     */
    public record Estimate(double seconds, int unknown) {}

    /**
     * Estimates the unfinished runs of {@code plan}: a run with a wall-clock time limit by {@link #estimatedSeconds};
     * any other (a simulation, or a run stopped by steps or epochs) by the median wall time of the finished runs of
     * its configuration ({@code wall_seconds} of their reports), else it counts as unknown.
     */
    public static Estimate estimate(Suite suite, List<PlannedRun> plan, int jobs) throws IOException {
        OptionalDouble limited = estimatedSeconds(suite);
        Map<String, List<Double>> finished = new HashMap<>();
        for (PlannedRun r : plan) {
            if (Files.isRegularFile(r.report())) {
                JsonNode wall = RunResult.readTree(r.report()).get("wall_seconds");
                if (wall != null && wall.isNumber()) {
                    finished.computeIfAbsent(r.configuration().name(), k -> new ArrayList<>())
                            .add(wall.asDouble());
                }
            }
        }
        double total = 0;
        int unknown = 0;
        for (PlannedRun r : plan) {
            if (Files.isRegularFile(r.report())) {
                continue;
            }
            List<Double> walls = finished.get(r.configuration().name());
            if (limited.isPresent()) {
                total += limited.getAsDouble();
            } else if (walls != null) {
                total += median(walls) + OVERHEAD_SECONDS;
            } else {
                unknown++;
            }
        }
        return new Estimate(total / jobs, unknown);
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Receives the progress of {@link #run}. */
    public interface Progress {
        void started(PlannedRun run, int index, int total);

        void finished(PlannedRun run, boolean ok, boolean skipped);
    }

    /**
     * Runs the plan one run at a time: a run whose report exists is skipped; one whose command fails is recorded (its
     * log kept) and the suite goes on. Returns the runs that failed.
     */
    public static List<PlannedRun> run(List<PlannedRun> plan, Executor executor, Progress progress)
            throws IOException, InterruptedException {
        return run(plan, executor, progress, 1);
    }

    /**
     * As {@link #run(List, Executor, Progress)} with up to {@code jobs} runs at a time (in plan order). Only for runs
     * whose results do not depend on the wall clock (simulate: virtual time); the progress is called by one run at
     * a time.
     */
    public static List<PlannedRun> run(List<PlannedRun> plan, Executor executor, Progress progress, int jobs)
            throws IOException, InterruptedException {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be >= 1, got " + jobs);
        }
        List<PlannedRun> failed = new ArrayList<>();
        if (jobs == 1) {
            for (int i = 0; i < plan.size(); i++) {
                if (!runOne(plan.get(i), i, plan.size(), executor, progress)) {
                    failed.add(plan.get(i));
                }
            }
            return failed;
        }
        ExecutorService pool = Executors.newFixedThreadPool(jobs);
        try {
            List<Future<Boolean>> done = new ArrayList<>();
            Progress serial = serialized(progress);
            for (int i = 0; i < plan.size(); i++) {
                final int index = i;
                done.add(pool.submit(() -> runOne(plan.get(index), index, plan.size(), executor, serial)));
            }
            for (int i = 0; i < plan.size(); i++) {
                try {
                    if (!done.get(i).get()) {
                        failed.add(plan.get(i));
                    }
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    throw c instanceof IOException io
                            ? io
                            : new IOException("run " + plan.get(i).label(), c);
                }
            }
            return failed;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs one planned run unless its report exists; true when it succeeded or was skipped. */
    private static boolean runOne(PlannedRun r, int index, int total, Executor executor, Progress progress)
            throws IOException, InterruptedException {
        if (Files.isRegularFile(r.report())) {
            progress.finished(r, true, true);
            return true;
        }
        Files.createDirectories(r.report().getParent());
        Path log = r.report().resolveSibling(fileName(r.configuration().name()) + "-seed" + r.seed() + ".log");
        if (waitForEarlier(lockOf(log), r) && Files.isRegularFile(r.report())) {
            progress.finished(r, true, true); // the earlier run finished it meanwhile
            return true;
        }
        progress.started(r, index, total);
        int code;
        try {
            code = executor.run(r.args(), log);
        } finally {
            Files.deleteIfExists(lockOf(log));
        }
        Path part = partial(r.report());
        boolean ok = code == 0 && Files.isRegularFile(part);
        if (ok) {
            Files.move(part, r.report(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.deleteIfExists(part);
        }
        progress.finished(r, ok, false);
        return ok;
    }

    /** The lock file a run's JVM holds while it lives (next to its log). */
    static Path lockOf(Path log) {
        return log.resolveSibling(log.getFileName() + ".lock");
    }

    /**
     * Waits while an earlier JVM of the same run holds its lock (the child of a compare that was killed, still
     * ending): a resumed suite never runs one run twice at once. Returns whether it had to wait.
     */
    static boolean waitForEarlier(Path lock, PlannedRun r) throws IOException {
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock free = ch.tryLock();
            if (free != null) {
                free.release();
                return false;
            }
            System.err.println(
                    "compare: an earlier process of " + r.label() + " is still running; waiting for it " + "to end");
            ch.lock().release();
            return true;
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException("run " + r.label() + " is already running in this compare", e);
        }
    }

    private static Progress serialized(Progress p) {
        return new Progress() {
            @Override
            public synchronized void started(PlannedRun run, int index, int total) {
                p.started(run, index, total);
            }

            @Override
            public synchronized void finished(PlannedRun run, boolean ok, boolean skipped) {
                p.finished(run, ok, skipped);
            }
        };
    }

    /**
     * The results of the runs whose reports exist, in plan order. A loss target's reference on a seed is the first
     * loss point of the first run in plan order of the suite's configurations that has a report for that seed.
     */
    public static List<RunResult> results(Suite suite, List<PlannedRun> plan) throws IOException {
        Map<PlannedRun, JsonNode> reports = new LinkedHashMap<>();
        for (PlannedRun r : plan) {
            if (Files.isRegularFile(r.report())) {
                reports.put(r, RunResult.readTree(r.report()));
            }
        }
        Map<Long, Double> reference = new HashMap<>();
        for (Suite.Configuration c : suite.configurations()) {
            reports.forEach((r, json) -> {
                if (r.configuration().equals(c)) {
                    reference.putIfAbsent(r.seed(), RunResult.initialLoss(json));
                }
            });
        }
        List<RunResult> out = new ArrayList<>();
        reports.forEach((r, json) -> out.add(RunResult.of(
                json,
                r.configuration().name(),
                r.seed(),
                suite.targets(),
                reference.getOrDefault(r.seed(), Double.NaN))));
        return out;
    }
}
