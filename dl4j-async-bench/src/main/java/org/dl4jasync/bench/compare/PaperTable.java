package org.dl4jasync.bench.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The layout of Table 1 of the Interval-Asynchrony paper: per method (a configuration's name without its workers
 * axis, e.g. {@code async[workers=16]} → {@code async}) and thread count, the best and the average test accuracy over
 * seeds (of each run's best evaluation), and the time to the highest accuracy that every method reaches at every
 * thread count (the smallest of the per-cell best accuracies), best (fastest seed) and average (over the seeds that
 * reached it; the count is given when some did not).
 */
public final class PaperTable {
    private PaperTable() {}

    /** The method a configuration belongs to: its name without the "workers=…" axis. */
    static String method(String configuration) {
        int open = configuration.indexOf('[');
        if (open < 0) {
            return configuration;
        }
        List<String> axes = new ArrayList<>();
        for (String a :
                configuration.substring(open + 1, configuration.length() - 1).split(", ")) {
            if (!a.startsWith("workers=")) {
                axes.add(a);
            }
        }
        String base = configuration.substring(0, open);
        return axes.isEmpty() ? base : base + "[" + String.join(", ", axes) + "]";
    }

    /** Runs by method and thread count, in the order of the results. */
    static Map<String, Map<Integer, List<RunResult>>> cells(List<RunResult> results) {
        Map<String, Map<Integer, List<RunResult>>> cells = new LinkedHashMap<>();
        for (RunResult r : results) {
            cells.computeIfAbsent(method(r.configuration()), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.workers(), k -> new ArrayList<>())
                    .add(r);
        }
        return cells;
    }

    /**
     * The highest accuracy every method reaches at every thread count: the smallest of the per-cell best accuracies;
     * NaN when fewer than two cells have results.
     */
    public static double commonAccuracy(List<RunResult> results) {
        double lowestBest = Double.POSITIVE_INFINITY;
        int n = 0;
        for (Map<Integer, List<RunResult>> byThreads : cells(results).values()) {
            for (List<RunResult> rs : byThreads.values()) {
                lowestBest = Math.min(
                        lowestBest,
                        rs.stream()
                                .mapToDouble(RunResult::bestAccuracy)
                                .filter(v -> !Double.isNaN(v))
                                .max()
                                .orElse(Double.NaN));
                n++;
            }
        }
        return n < 2 || Double.isInfinite(lowestBest) ? Double.NaN : lowestBest;
    }

    /** The table in Markdown, or "" when fewer than two cells have results. */
    public static String markdown(List<RunResult> results) {
        Map<String, Map<Integer, List<RunResult>>> cells = cells(results);
        TreeSet<Integer> threads = new TreeSet<>();
        results.forEach(r -> threads.add(r.workers()));
        final double common = commonAccuracy(results);
        if (Double.isNaN(common)) {
            return "";
        }
        StringBuilder b = new StringBuilder(String.format(
                Locale.ROOT,
                "%n## The paper's Table 1 layout%n%n"
                        + "Per method and thread count: best / average over seeds of each run's best test accuracy; time to "
                        + "%.4f, the highest accuracy every method reaches at every thread count: best / average over the "
                        + "seeds that reached it.%n%n",
                common));
        List<String> head = new ArrayList<>(List.of("method"));
        for (int t : threads) {
            head.add("m = " + t + ": accuracy best / avg");
            head.add("m = " + t + ": time to " + String.format(Locale.ROOT, "%.4f", common) + " best / avg");
        }
        b.append("| ").append(String.join(" | ", head)).append(" |\n|");
        for (int i = 0; i < head.size(); i++) {
            b.append(i == 0 ? " --- |" : " ---: |");
        }
        b.append('\n');
        for (Map.Entry<String, Map<Integer, List<RunResult>>> m : cells.entrySet()) {
            b.append("| ").append(m.getKey());
            for (int t : threads) {
                List<RunResult> rs = m.getValue().get(t);
                if (rs == null) {
                    b.append(" | — | —");
                    continue;
                }
                double[] acc = rs.stream()
                        .mapToDouble(RunResult::bestAccuracy)
                        .filter(v -> !Double.isNaN(v))
                        .toArray();
                double[] times = rs.stream().mapToDouble(r -> r.timeTo(common)).toArray();
                double[] reached = Arrays.stream(times).filter(Double::isFinite).toArray();
                b.append(String.format(Locale.ROOT, " | %.4f / %.4f", max(acc), mean(acc)));
                if (reached.length == 0) {
                    b.append(" | never");
                } else {
                    b.append(" | ")
                            .append(SummaryWriter.seconds(min(reached)))
                            .append(" / ")
                            .append(SummaryWriter.seconds(mean(reached)));
                    if (reached.length < times.length) {
                        b.append(String.format(Locale.ROOT, " (%d of %d)", reached.length, times.length));
                    }
                }
            }
            b.append(" |\n");
        }
        return b.toString();
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }
}
