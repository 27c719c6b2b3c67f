package org.dl4jasync.bench.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The suite's PNG plots of traces against time, drawn with XChart: test accuracy, training loss, the interval size y
 * (Interval-Asynchrony) and the active workers m (elastic parallelism); per configuration the median over seeds as a
 * line and the minimum and maximum as a translucent band of the same colour (the min–max band). A run's trace is a step
 * function (the value of its last point at or before t); a run counts from its first point on, and the median at t
 * is over the runs that have one. The paper's other figures are {@link PaperFigures}.
 */
public final class Plots {
    /** Points of the common time grid. */
    static final int GRID = 120;

    private static final Color[] COLOURS = {
        new Color(31, 119, 180),
        new Color(255, 127, 14),
        new Color(44, 160, 44),
        new Color(214, 39, 40),
        new Color(148, 103, 189),
        new Color(140, 86, 75),
        new Color(227, 119, 194),
        new Color(127, 127, 127),
        new Color(188, 189, 34),
        new Color(23, 190, 207)
    };

    private Plots() {}

    public static XYChart accuracyAgainstTime(Suite suite, List<RunResult> results) {
        return chart(suite, results, "test accuracy", RunResult::accuracyTrace);
    }

    public static XYChart lossAgainstTime(Suite suite, List<RunResult> results) {
        return chart(suite, results, "training loss", RunResult::lossTrace);
    }

    /** The interval size y against time; null when no run has an interval trace. */
    public static XYChart intervalSizeAgainstTime(Suite suite, List<RunResult> results) {
        return nonEmpty(chart(suite, results, "interval size y", r -> r.shape().yTrace()));
    }

    /** The active workers m against time; null when no run has elastic parallelism. */
    public static XYChart parallelismAgainstTime(Suite suite, List<RunResult> results) {
        return nonEmpty(chart(suite, results, "active workers m", r -> r.shape().mTrace()));
    }

    static XYChart nonEmpty(XYChart chart) {
        return chart.getSeriesMap().isEmpty() ? null : chart;
    }

    static XYChart chart(Suite suite, List<RunResult> results, String what, Function<RunResult, double[][]> trace) {
        String time = suite.command().equals("simulate") ? "virtual seconds" : "seconds of training";
        XYChart chart = new XYChartBuilder()
                .width(900)
                .height(560)
                .title(suite.name() + ": " + what + " (median, " + "min–max over seeds)")
                .xAxisTitle(time)
                .yAxisTitle(what)
                .build();
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setXAxisDecimalPattern("#,##0.##");
        double end = results.stream()
                .flatMap(r -> Arrays.stream(trace.apply(r)))
                .mapToDouble(p -> p[0])
                .max()
                .orElse(0);
        int colour = 0;
        for (Suite.Configuration c : suite.configurations()) {
            List<double[][]> runs = new ArrayList<>();
            for (RunResult r : results) {
                if (r.configuration().equals(c.name()) && trace.apply(r).length > 0) {
                    runs.add(trace.apply(r));
                }
            }
            if (runs.isEmpty() || end <= 0) {
                continue;
            }
            List<double[]> band = band(runs, end);
            if (band.isEmpty()) {
                continue;
            }
            boolean dashed = (colour / COLOURS.length) % 2 == 1; // the palette's second round: dashed medians
            Color col = COLOURS[colour++ % COLOURS.length];
            double[] x = band.stream().mapToDouble(p -> p[0]).toArray();
            fill(
                    chart,
                    c.name(),
                    x,
                    band.stream().mapToDouble(p -> p[2]).toArray(),
                    band.stream().mapToDouble(p -> p[3]).toArray(),
                    col);
            XYSeries median =
                    add(chart, c.name(), x, band.stream().mapToDouble(p -> p[1]).toArray(), col, 2f, true);
            if (dashed) {
                median.setLineStyle(new BasicStroke(
                        2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 5f}, 0f));
            }
        }
        return chart;
    }

    /**
     * The min–max band of one configuration: a translucent polygon of its colour between {@code min} and {@code max}
     * over {@code x} (ascending), drawn under its median; nothing for a single point.
     */
    static void fill(XYChart chart, String name, double[] x, double[] min, double[] max, Color colour) {
        int n = x.length;
        if (n < 2) {
            return;
        }
        double[] px = new double[2 * n];
        double[] py = new double[2 * n];
        for (int i = 0; i < n; i++) {
            px[i] = x[i];
            py[i] = max[i];
            px[2 * n - 1 - i] = x[i];
            py[2 * n - 1 - i] = min[i];
        }
        XYSeries band = chart.addSeries(name + " (min–max)", px, py);
        band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        band.setFillColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 56));
        band.setLineColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 0));
        band.setMarker(SeriesMarkers.NONE);
        band.setShowInLegend(false);
    }

    /** The i-th colour of the palette (configurations keep theirs in every figure of one suite). */
    static Color colour(int i) {
        return COLOURS[i % COLOURS.length];
    }

    static XYSeries add(XYChart chart, String name, double[] x, double[] y, Color colour, float width, boolean legend) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setLineColor(colour);
        s.setLineStyle(new BasicStroke(width));
        s.setMarker(SeriesMarkers.NONE);
        s.setShowInLegend(legend);
        return s;
    }

    /** [t, median, min, max] on a grid of {@value #GRID} times in (0, end], where at least one run has a value. */
    static List<double[]> band(List<double[][]> runs, double end) {
        List<double[]> out = new ArrayList<>();
        for (int g = 1; g <= GRID; g++) {
            double t = end * g / GRID;
            double[] values = runs.stream()
                    .mapToDouble(r -> valueAt(r, t))
                    .filter(v -> !Double.isNaN(v))
                    .toArray();
            if (values.length == 0) {
                continue;
            }
            double min = Arrays.stream(values).min().getAsDouble();
            double max = Arrays.stream(values).max().getAsDouble();
            out.add(new double[] {t, Stats.median(values), min, max});
        }
        return out;
    }

    /** The value of the last point at or before t, NaN before the first. */
    public static double valueAt(double[][] trace, double t) {
        double v = Double.NaN;
        for (double[] p : trace) {
            if (p[0] > t) {
                break;
            }
            v = p[1];
        }
        return v;
    }

    /**
     * Writes every figure the results have something for into {@code dir} (and removes the others' files) and returns
     * the files, in this order:
     * {@code accuracy-vs-time.png}, {@code loss-vs-time.png}, {@code time-vs-threads.png} (the paper's Figure 4, to
     * {@link PaperTable#commonAccuracy}), {@code acceptance-vs-y.png} (Figure 2), {@code staleness.png} (Figure 3b),
     * {@code y-vs-time.png}, {@code m-vs-time.png}.
     */
    public static List<Path> writeAll(Suite suite, List<RunResult> results, Path dir) throws IOException {
        Map<String, XYChart> charts = new LinkedHashMap<>();
        charts.put("accuracy-vs-time.png", nonEmpty(accuracyAgainstTime(suite, results)));
        charts.put("loss-vs-time.png", nonEmpty(lossAgainstTime(suite, results)));
        charts.put(
                "time-vs-threads.png",
                PaperFigures.timeAgainstThreads(suite, results, PaperTable.commonAccuracy(results)));
        charts.put("acceptance-vs-y.png", PaperFigures.acceptanceAgainstY(suite, results));
        charts.put("staleness.png", PaperFigures.stalenessHistograms(suite, results));
        charts.put("y-vs-time.png", intervalSizeAgainstTime(suite, results));
        charts.put("m-vs-time.png", parallelismAgainstTime(suite, results));
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, XYChart> c : charts.entrySet()) {
            Path file = dir.resolve(c.getKey());
            Files.deleteIfExists(file); // a figure of an earlier, larger set of results must not stay behind
            if (c.getValue() != null) {
                save(c.getValue(), file);
                written.add(file);
            }
        }
        return written;
    }

    /** Writes {@code chart} as {@code file} (a PNG; ".png" is added by XChart when missing). */
    public static void save(XYChart chart, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        String name = file.toString();
        BitmapEncoder.saveBitmap(
                chart,
                name.endsWith(".png") ? name.substring(0, name.length() - 4) : name,
                BitmapEncoder.BitmapFormat.PNG);
    }
}
