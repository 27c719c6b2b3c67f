package org.dl4jasync.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Writes {@code runs.csv} (one row per run) and {@code summary.md} (per configuration the median and bootstrap 95%
 * interval over seeds of every measure; against the baseline, the ratio of times to each target paired by seed, with
 * its interval and a verdict only when the interval excludes 1). A run that never reached a target counts as
 * "never" (+∞) in the medians and ratios, not as missing.
 */
public final class SummaryWriter {
    private SummaryWriter() {}

    public static void writeCsv(Path file, Suite suite, List<RunResult> results) throws IOException {
        StringBuilder b = new StringBuilder("configuration,seed,algorithm,workers,stop_reason,steps_accepted,"
                + "steps_per_second,acceptance,staleness_mean,staleness_p99,staleness_max,worker_seconds,seconds,"
                + "final_accuracy,best_accuracy,gradients,discarded,uploads");
        for (Target t : suite.targets()) {
            b.append(',').append(t.column());
        }
        for (Target t : suite.targets()) {
            b.append(",").append(t.column().replace("time_to_", "uploads_to_"));
        }
        b.append('\n');
        for (RunResult r : results) {
            b.append(csv(r.configuration()))
                    .append(',')
                    .append(r.seed())
                    .append(',')
                    .append(csv(r.algorithm()))
                    .append(',')
                    .append(r.workers())
                    .append(',')
                    .append(r.stopReason())
                    .append(',')
                    .append(r.stepsAccepted());
            for (double v : new double[] {
                r.stepsPerSecond(),
                r.acceptance(),
                r.stalenessMean(),
                r.stalenessP99(),
                r.stalenessMax(),
                r.workerSeconds(),
                r.seconds(),
                r.finalAccuracy(),
                r.bestAccuracy(),
                r.work().gradients(),
                r.work().discarded(),
                r.work().uploads()
            }) {
                b.append(',').append(number(v));
            }
            for (double t : r.timesToTargets()) {
                b.append(',').append(number(t));
            }
            for (int k = 0; k < r.timesToTargets().length; k++) {
                b.append(',').append(number(r.work().uploadsTo(k)));
            }
            b.append('\n');
        }
        Files.writeString(file, b.toString());
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        return Double.isInfinite(v) ? "inf" : String.valueOf(v);
    }

    public static String summary(Suite suite, List<RunResult> results, int planned, int failed) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(suite.name()).append("\n\n");
        b.append(String.format(
                Locale.ROOT,
                "`%s`, seeds %s, %s per run; %d of %d runs reported%s. Medians over "
                        + "seeds with bootstrap 95%% intervals in brackets; \"never\": the target was not reached "
                        + "(counted, not dropped). Times are %s.%n%n",
                suite.command(),
                results.stream().map(RunResult::seed).distinct().sorted().toList(),
                suite.timeLimit().isPresent() ? seconds(suite.timeLimit().getAsDouble()) : "no time limit",
                results.size(),
                planned,
                failed > 0 ? " (" + failed + " failed)" : "",
                suite.command().equals("simulate") ? "virtual seconds" : "wall seconds of training"));
        List<String> head = new ArrayList<>(List.of("configuration", "seeds", "final acc.", "best acc."));
        for (Target t : suite.targets()) {
            head.add("time to " + t.label() + " (reached)");
        }
        head.addAll(List.of("steps/s", "acceptance", "mean τ", "p99 τ", "max τ", "worker-s", "gradients", "discarded"));
        row(b, head);
        row(
                b,
                head.stream()
                        .map(h -> h.equals("configuration") ? "---" : "---:")
                        .toList());
        for (Suite.Configuration c : suite.configurations()) {
            List<RunResult> rs = of(results, c.name());
            if (rs.isEmpty()) {
                continue;
            }
            List<String> cells = new ArrayList<>(List.of(
                    c.name(),
                    String.valueOf(rs.size()),
                    cell(rs, RunResult::finalAccuracy, "%.4f"),
                    cell(rs, RunResult::bestAccuracy, "%.4f")));
            for (int k = 0; k < suite.targets().size(); k++) {
                final int t = k;
                long reached = rs.stream()
                        .filter(r -> Double.isFinite(r.timesToTargets()[t]))
                        .count();
                cells.add(cell(rs, r -> r.timesToTargets()[t], SECONDS) + " (" + reached + "/" + rs.size() + ")");
            }
            cells.add(cell(rs, RunResult::stepsPerSecond, "%.1f"));
            cells.add(cell(rs, RunResult::acceptance, "%.3f"));
            cells.add(cell(rs, RunResult::stalenessMean, "%.2f"));
            cells.add(cell(rs, RunResult::stalenessP99, "%.0f"));
            cells.add(cell(rs, RunResult::stalenessMax, "%.0f"));
            cells.add(cell(rs, RunResult::workerSeconds, "%.0f"));
            cells.add(cell(rs, r -> r.work().gradients(), "%.0f"));
            cells.add(cell(rs, r -> r.work().discarded(), "%.0f"));
            row(b, cells);
        }
        if (results.stream().anyMatch(r -> r.shape().mTrace().length > 0)
                && !suite.targets().isEmpty()) {
            b.append(String.format(
                    Locale.ROOT,
                    "%n## Worker-seconds to each target%n%n∫ m dt until the target was "
                            + "reached (the active workers' trace for elastic runs, else workers × time): what elastic "
                            + "parallelism saves against a constant worker count.%n%n"));
            List<String> wHead = new ArrayList<>(List.of("configuration"));
            suite.targets().forEach(t -> wHead.add("worker-s to " + t.label()));
            row(b, wHead);
            row(
                    b,
                    wHead.stream()
                            .map(h -> h.equals("configuration") ? "---" : "---:")
                            .toList());
            for (Suite.Configuration c : suite.configurations()) {
                List<RunResult> rs = of(results, c.name());
                if (rs.isEmpty()) {
                    continue;
                }
                List<String> cells = new ArrayList<>(List.of(c.name()));
                for (int k = 0; k < suite.targets().size(); k++) {
                    final int t = k;
                    cells.add(cell(rs, r -> r.workerSecondsTo(t), SECONDS));
                }
                row(b, cells);
            }
        }
        if (results.stream().anyMatch(r -> !Double.isNaN(r.work().uploads()))) {
            b.append(String.format(
                    Locale.ROOT,
                    "%n## Uploads (K-async, ABS)%n%nSubmissions to the shared model that "
                            + "entered a round (the ABS paper's communication count): in all, and in the rounds closed when "
                            + "each target was first reached.%n%n"));
            List<String> uHead = new ArrayList<>(List.of("configuration", "uploads"));
            suite.targets().forEach(t -> uHead.add("uploads to " + t.label()));
            row(b, uHead);
            row(
                    b,
                    uHead.stream()
                            .map(h -> h.equals("configuration") ? "---" : "---:")
                            .toList());
            for (Suite.Configuration c : suite.configurations()) {
                List<RunResult> rs = of(results, c.name());
                if (rs.isEmpty()
                        || rs.stream().allMatch(r -> Double.isNaN(r.work().uploads()))) {
                    continue;
                }
                List<String> cells =
                        new ArrayList<>(List.of(c.name(), cell(rs, r -> r.work().uploads(), "%.0f")));
                for (int k = 0; k < suite.targets().size(); k++) {
                    final int t = k;
                    cells.add(cell(rs, r -> r.work().uploadsTo(t), "%.0f"));
                }
                row(b, cells);
            }
        }
        b.append(PaperTable.markdown(results));
        for (String baseline : suite.targets().isEmpty() ? List.<String>of() : suite.baselines()) {
            b.append(String.format(Locale.ROOT, "%n## Against %s, paired by seed%n%n", baseline));
            if (suite.configurations().stream().noneMatch(c -> c.name().equals(baseline))) {
                b.append("Each configuration against the " + baseline
                        + " configuration whose axes agree with its own (e.g. workers).\n\n");
            }
            b.append("Ratio of the time to each target to the baseline's on the same seed (< 1: sooner), median "
                    + "[bootstrap interval]. A verdict is stated only when the bootstrap interval and the "
                    + "distribution-free 95% interval of the median (a sign test; it needs at least "
                    + Stats.MIN_PAIRS_FOR_VERDICT + " pairs) are both below or both above 1. Pairs where neither "
                    + "reached the target are left out; where only one did, the ratio is 0 or ∞.\n\n");
            row(b, List.of("configuration", "target", "time ratio", "pairs", "verdict"));
            row(b, List.of("---", "---:", "---:", "---:", "---"));
            for (Suite.Configuration c : suite.configurations()) {
                String against = suite.baselineFor(baseline, c.name());
                if (against == null || c.name().equals(against)) {
                    continue;
                }
                List<RunResult> base = of(results, against);
                List<RunResult> rs = of(results, c.name());
                for (int k = 0; k < suite.targets().size(); k++) {
                    double[][] paired = paired(rs, base, k);
                    double[] ratios = Stats.ratios(paired[0], paired[1]);
                    Stats.Estimate e = Stats.estimate(ratios);
                    row(
                            b,
                            List.of(
                                    c.name(),
                                    suite.targets().get(k).label(),
                                    e.n() == 0 ? "—" : format(e, "%.2f"),
                                    String.valueOf(e.n()),
                                    Stats.verdict(ratios).text));
                }
            }
        }
        return b.toString();
    }

    /** Times to target k of the seeds both configurations ran: [0] the configuration's, [1] the baseline's. */
    static double[][] paired(List<RunResult> rs, List<RunResult> base, int k) {
        List<double[]> pairs = new ArrayList<>();
        for (RunResult r : rs) {
            for (RunResult b : base) {
                if (b.seed() == r.seed()) {
                    pairs.add(new double[] {r.timesToTargets()[k], b.timesToTargets()[k]});
                }
            }
        }
        double[][] out = new double[2][pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            out[0][i] = pairs.get(i)[0];
            out[1][i] = pairs.get(i)[1];
        }
        return out;
    }

    private static List<RunResult> of(List<RunResult> results, String configuration) {
        return results.stream()
                .filter(r -> r.configuration().equals(configuration))
                .toList();
    }

    private static String cell(List<RunResult> rs, ToDoubleFunction<RunResult> f, String fmt) {
        Stats.Estimate e = Stats.estimate(rs.stream().mapToDouble(f).toArray());
        return e.n() == 0 ? "—" : format(e, fmt);
    }

    static String format(Stats.Estimate e, String fmt) {
        if (e.n() == 1 || e.low() == e.high()) {
            return value(e.median(), fmt);
        }
        return value(e.median(), fmt) + " [" + value(e.low(), fmt) + ", " + value(e.high(), fmt) + "]";
    }

    /** The format of a time in seconds ({@link #seconds}); an infinite time is "never". */
    static final String SECONDS = "seconds";

    private static String value(double v, String fmt) {
        if (Double.isInfinite(v)) {
            return v > 0 ? (fmt.equals(SECONDS) ? "never" : "∞") : "−∞";
        }
        return fmt.equals(SECONDS) ? seconds(v) : String.format(Locale.ROOT, fmt, v);
    }

    /** Seconds to the unit from 100 s on, else to 3 significant digits (virtual times are often below 1 s). */
    static String seconds(double v) {
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f s" : "%.3g s", v);
    }

    private static void row(StringBuilder b, List<String> cells) {
        b.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
}
