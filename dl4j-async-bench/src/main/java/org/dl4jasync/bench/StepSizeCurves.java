package org.dl4jasync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.stepsize.FleetStepSize;
import org.dl4jasync.stepsize.InverseStepSize;
import org.dl4jasync.stepsize.MindTheStepSize;
import org.dl4jasync.stepsize.Phi;
import org.dl4jasync.stepsize.StepSizePolicy;
import org.dl4jasync.stepsize.TailStepSize;
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
 * Step-size policies on simulated staleness (no model): (1) the mean factor over applied updates as the worker
 * count grows, per policy (inverse and fleet shrink the mean step, TAIL-τ keeps it at 1); (2) the factor applied at
 * each τ for one m (the curves of the TAIL-τ paper's Figures C.4–C.5), plotted with XChart.
 */
@Command(
        name = "StepSizeCurves",
        mixinStandardHelpOptions = true,
        description = "Mean step-size factor per m and the factor-vs-τ curves (simulated staleness).")
public final class StepSizeCurves implements Callable<Integer> {
    @Option(names = "--workers", split = ",", defaultValue = "2,4,8,16,32,64,128,256")
    List<Integer> workers;

    @Option(names = "--curve-workers", defaultValue = "32")
    int curveWorkers;

    @Option(names = "--steps", defaultValue = "100000")
    long steps;

    @Option(names = "--step-time", defaultValue = "exp:1")
    String stepTime;

    @Option(names = "--seed", defaultValue = "11")
    long seed;
    /** MindTheStep's η in c(τ) (no model here to read it from). */
    @Option(names = "--mts-eta", defaultValue = "0.01")
    double mtsEta;

    @Option(names = "--out", defaultValue = "docs/figures/step-size-curves.png")
    Path out;

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new StepSizeCurves()).execute(args));
    }

    private static final String[] NAMES = {"tail", "tail smoothstep", "inverse", "fleet", "mindthestep"};

    private List<IntFunction<StepSizePolicy>> policies() {
        List<IntFunction<StepSizePolicy>> p = new ArrayList<>();
        p.add(m -> new TailStepSize.Builder(m).build());
        p.add(m -> new TailStepSize.Builder(m).phi(Phi.SMOOTHSTEP).build());
        p.add(m -> InverseStepSize.INSTANCE);
        p.add(FleetStepSize::new);
        p.add(m -> new MindTheStepSize.Builder(m, mtsEta).build());
        return p;
    }

    private TrainingReport run(int m, StepSizePolicy p) {
        return new Simulator.Builder(m, StepTimes.parse(stepTime, m))
                .seed(seed)
                .maxSteps(steps)
                .stepSize(p)
                .build()
                .run();
    }

    @Override
    public Integer call() throws Exception {
        List<IntFunction<StepSizePolicy>> policies = policies();
        System.out.printf(
                Locale.ROOT,
                "mean factor over %d applied updates (incl. the warm-up at factor 1), step time %s%n",
                steps,
                stepTime);
        StringBuilder head = new StringBuilder("| m | mean τ |");
        StringBuilder rule = new StringBuilder("| ---: | ---: |");
        for (String n : NAMES) {
            head.append(' ').append(n).append(" |");
            rule.append(" ---: |");
        }
        System.out.println(head);
        System.out.println(rule);
        for (int m : workers) {
            StringBuilder line = new StringBuilder();
            Double tau = null;
            for (IntFunction<StepSizePolicy> f : policies) {
                TrainingReport r = run(m, f.apply(m));
                tau = r.staleness().mean();
                line.append(String.format(Locale.ROOT, " %.4f |", r.stepScale().mean()));
            }
            System.out.printf(Locale.ROOT, "| %d | %.1f |%s%n", m, tau, line);
        }

        XYChart chart = new XYChartBuilder()
                .width(900)
                .height(520)
                .title("Step-size factor applied at each staleness (m = " + curveWorkers + ", step time " + stepTime
                        + ", simulated)")
                .xAxisTitle("staleness τ")
                .yAxisTitle("mean factor applied")
                .build();
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setYAxisMax(2.2);
        for (int i = 0; i < policies.size(); i++) {
            TrainingReport r = run(curveWorkers, policies.get(i).apply(curveWorkers));
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (double[] e : r.stepScale().byStaleness()) {
                x.add(e[0]);
                y.add(e[1]);
            }
            XYSeries s = chart.addSeries(
                    String.format(
                            Locale.ROOT,
                            "%s (mean %.3f)",
                            NAMES[i],
                            r.stepScale().mean()),
                    x,
                    y);
            s.setMarker(SeriesMarkers.NONE);
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        String base = out.toString().replaceAll("\\.png$", "");
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        System.out.println("wrote " + base + ".png");
        return 0;
    }
}
