package org.dl4jasync.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.dl4jasync.dispatch.IntervalDispatcher;
import org.dl4jasync.dispatch.IntervalPolicy;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.trainer.Simulator;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The staleness distribution of Interval-Asynchrony per y against plain async (the Interval-Asynchrony paper's
 * Figure 3b), from the simulator: a PNG with one frequency curve per y.
 */
@Command(name = "StalenessHistogramPlot", mixinStandardHelpOptions = true,
        description = "Plot the staleness distribution per interval size y (simulated) to a PNG.")
public final class StalenessHistogramPlot implements Callable<Integer> {
    @Option(names = "--workers", defaultValue = "128") int workers;
    @Option(names = "--steps", defaultValue = "200000") long steps;
    @Option(names = "--step-time", defaultValue = "shifted-exp:0.9,0.1") String stepTime;
    @Option(names = "--y", split = ",", defaultValue = "16,64,128,512") List<Integer> ys;
    @Option(names = "--seed", defaultValue = "11") long seed;
    @Option(names = "--out", defaultValue = "docs/figures/interval-staleness.png") Path out;

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new StalenessHistogramPlot()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        XYChart chart = new XYChartBuilder().width(900).height(520)
                .title("Staleness per interval size y (m = " + workers + ", step time " + stepTime + ", simulated)")
                .xAxisTitle("staleness τ").yAxisTitle("fraction of applied updates").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(0);
        addSeries(chart, "async", run(null));
        for (int y : ys) {
            addSeries(chart, "interval y = " + y, run(y));
        }
        java.nio.file.Files.createDirectories(out.toAbsolutePath().getParent());
        String base = out.toString().replaceAll("\\.png$", "");
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        System.out.println("wrote " + base + ".png");
        return 0;
    }

    private TrainingReport run(Integer y) {
        Simulator.Builder b = new Simulator.Builder(workers, StepTimes.parse(stepTime, workers))
                .seed(seed).maxSteps(steps);
        if (y != null) {
            b.dispatcher(m -> new IntervalDispatcher(m, IntervalPolicy.fixed(y), null));
        }
        return b.build().run();
    }

    private static void addSeries(XYChart chart, String name, TrainingReport r) {
        List<Double> x = new ArrayList<>();
        List<Double> f = new ArrayList<>();
        double total = r.stepsAccepted();
        for (long[] e : r.staleness().histogram()) {
            x.add((double) e[0]);
            f.add(e[1] / total);
        }
        XYSeries s = chart.addSeries(name + String.format(java.util.Locale.ROOT, " (mean %.1f)", r.staleness().mean()), x, f);
        s.setMarker(SeriesMarkers.NONE);
    }
}
