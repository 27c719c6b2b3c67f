package org.dl4jasync.bench.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The Interval-Asynchrony paper's figures over a suite's runs, drawn with XChart; each is null when the suite has
 * nothing to show in it (a figure with one point says nothing):
 * <ul>
 * <li>Figure 2: acceptance rate against the interval size y, one line per thread count (median over seeds, min–max
 * as thin lines), from the Interval-Asynchrony runs with at least two values of y;</li>
 * <li>Figure 3b: the staleness distribution per configuration: the fraction of applied updates with each τ, all
 * seeds pooled (logarithmic axis; τ with no update are not drawn);</li>
 * <li>Figure 4: time to an accuracy against the thread count, one line per method (a configuration without its
 * workers axis, as {@link PaperTable#method}); the median over seeds where more than half reached it (a run that
 * never did counts as +∞), min–max of those that did.</li>
 * </ul>
 */
public final class PaperFigures {
    private PaperFigures() {}

    /** Figure 2: acceptance against y per thread count; null with fewer than two values of y. */
    public static XYChart acceptanceAgainstY(Suite suite, List<RunResult> results) {
        Map<Integer, Map<Double, List<Double>>> byThreads = new TreeMap<>();
        for (RunResult r : results) {
            double y = r.shape().intervalY();
            if (!Double.isNaN(y) && !Double.isNaN(r.acceptance())) {
                byThreads
                        .computeIfAbsent(r.workers(), k -> new TreeMap<>())
                        .computeIfAbsent(y, k -> new ArrayList<>())
                        .add(r.acceptance());
            }
        }
        if (byThreads.values().stream().allMatch(ys -> ys.size() < 2)) {
            return null;
        }
        XYChart chart = new XYChartBuilder()
                .width(900)
                .height(560)
                .title(suite.name() + ": acceptance rate against the interval size y (median, min–max over seeds)")
                .xAxisTitle("initial interval size y")
                .yAxisTitle("acceptance rate")
                .build();
        chart.getStyler().setXAxisLogarithmic(true).setXAxisLogarithmicDecadeOnly(false); // ticks between decades too
        int i = 0;
        for (Map.Entry<Integer, Map<Double, List<Double>>> e : byThreads.entrySet()) {
            addMedianLine(chart, "m = " + e.getKey(), e.getValue(), Plots.colour(i++));
        }
        return chart;
    }

    /** Figure 3b: the staleness distribution per configuration; null when no run has staleness. */
    public static XYChart stalenessHistograms(Suite suite, List<RunResult> results) {
        XYChart chart = new XYChartBuilder()
                .width(900)
                .height(560)
                .title(suite.name() + ": staleness of applied updates (all seeds)")
                .xAxisTitle("staleness τ")
                .yAxisTitle("fraction of applied updates")
                .build();
        chart.getStyler().setYAxisLogarithmic(true);
        int i = 0;
        for (Suite.Configuration c : suite.configurations()) {
            TreeMap<Long, Long> counts = new TreeMap<>();
            long total = 0;
            for (RunResult r : results) {
                if (r.configuration().equals(c.name())) {
                    for (long[] bin : r.shape().stalenessHistogram()) {
                        counts.merge(bin[0], bin[1], Long::sum);
                        total += bin[1];
                    }
                }
            }
            if (total == 0 || counts.size() < 2) {
                continue; // no staleness (DL4J's loops) or only τ = 0 (sync): nothing to draw on a log axis
            }
            double[] x = new double[counts.size()];
            double[] y = new double[counts.size()];
            int k = 0;
            for (Map.Entry<Long, Long> bin : counts.entrySet()) {
                if (bin.getValue() > 0) {
                    x[k] = bin.getKey();
                    y[k++] = (double) bin.getValue() / total;
                }
            }
            XYSeries s = chart.addSeries(c.name(), Arrays.copyOf(x, k), Arrays.copyOf(y, k));
            s.setLineColor(Plots.colour(i));
            s.setMarkerColor(Plots.colour(i++));
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        chart.getStyler().setMarkerSize(4);
        return Plots.nonEmpty(chart);
    }

    /** Figure 4: time to {@code level} against the thread count per method; null with fewer than two thread counts. */
    public static XYChart timeAgainstThreads(Suite suite, List<RunResult> results, double level) {
        List<RunResult> methods = results.stream().filter(r -> !isDl4jLoop(r)).toList();
        if (Double.isNaN(level)
                || methods.stream().mapToInt(RunResult::workers).distinct().count() < 2) {
            return null; // one thread count says nothing about how time scales with threads
        }
        Map<String, Map<Integer, List<RunResult>>> cells = PaperTable.cells(methods);
        String time = suite.command().equals("simulate") ? "virtual seconds" : "seconds of training";
        XYChart chart = new XYChartBuilder()
                .width(900)
                .height(560)
                .title(String.format(
                        Locale.ROOT,
                        "%s: time to %.4f test accuracy against the thread count (median, min–max over seeds)",
                        suite.name(),
                        level))
                .xAxisTitle("threads m")
                .yAxisTitle(time)
                .build();
        chart.getStyler().setXAxisLogarithmic(true).setXAxisLogarithmicDecadeOnly(false); // ticks between decades too
        int i = 0;
        for (Map.Entry<String, Map<Integer, List<RunResult>>> method : cells.entrySet()) {
            Map<Double, List<Double>> byThreads = new TreeMap<>();
            method.getValue().forEach((m, rs) -> byThreads.put((double) m, values(rs, r -> r.timeTo(level))));
            addMedianLine(chart, method.getKey(), byThreads, Plots.colour(i++));
        }
        double[] span = {
            methods.stream().mapToInt(RunResult::workers).min().getAsInt(),
            methods.stream().mapToInt(RunResult::workers).max().getAsInt()
        };
        Map<String, List<RunResult>> loops = new LinkedHashMap<>();
        results.stream().filter(PaperFigures::isDl4jLoop).forEach(r -> loops.computeIfAbsent(
                        r.configuration(), k -> new ArrayList<>())
                .add(r));
        for (Map.Entry<String, List<RunResult>> loop : loops.entrySet()) {
            double[] t = loop.getValue().stream()
                    .mapToDouble(r -> r.timeTo(level))
                    .filter(Double::isFinite)
                    .toArray();
            if (t.length * 2 <= loop.getValue().size()) {
                continue; // its median never reached the level
            }
            double median = Stats.median(t);
            int m = loop.getValue().get(0).workers();
            XYSeries s = chart.addSeries(
                    String.format(Locale.ROOT, "%s (%d %s, DL4J)", loop.getKey(), m, m == 1 ? "thread" : "threads"),
                    span,
                    new double[] {median, median});
            Color c = Plots.colour(i++);
            s.setLineColor(c);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineStyle(
                    new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        }
        return Plots.nonEmpty(chart);
    }

    /** DL4J's own loops ({@code net.fit}, ParallelWrapper): reference lines, not a method over thread counts. */
    static boolean isDl4jLoop(RunResult r) {
        return "netfit".equals(r.algorithm()) || "parallelwrapper".equals(r.algorithm());
    }

    private static List<Double> values(List<RunResult> rs, ToDoubleFunction<RunResult> f) {
        return rs.stream().map(r -> f.applyAsDouble(r)).toList();
    }

    /**
     * A median line (with markers) over x and thin min/max lines of the finite values; an x whose median is not
     * finite (more than half never reached the level) has no point.
     */
    private static void addMedianLine(XYChart chart, String name, Map<Double, List<Double>> valuesAtX, Color colour) {
        List<double[]> points = new ArrayList<>();
        for (Map.Entry<Double, List<Double>> e : valuesAtX.entrySet()) {
            double[] v = e.getValue().stream()
                    .mapToDouble(Double::doubleValue)
                    .filter(d -> !Double.isNaN(d))
                    .toArray();
            if (v.length == 0) {
                continue;
            }
            double median = Stats.median(v);
            double[] finite = Arrays.stream(v).filter(Double::isFinite).toArray();
            if (Double.isFinite(median)) {
                points.add(new double[] {
                    e.getKey(),
                    median,
                    Arrays.stream(finite).min().getAsDouble(),
                    Arrays.stream(finite).max().getAsDouble()
                });
            }
        }
        if (points.isEmpty()) {
            return;
        }
        double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
        XYSeries s =
                chart.addSeries(name, x, points.stream().mapToDouble(p -> p[1]).toArray());
        s.setLineColor(colour);
        s.setMarkerColor(colour);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineStyle(new BasicStroke(2f));
        Plots.fill(
                chart,
                name,
                x,
                points.stream().mapToDouble(p -> p[2]).toArray(),
                points.stream().mapToDouble(p -> p[3]).toArray(),
                colour);
    }
}
