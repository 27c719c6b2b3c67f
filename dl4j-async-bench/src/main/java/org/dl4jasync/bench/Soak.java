package org.dl4jasync.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.dispatch.DispatchSpec;
import org.dl4jasync.examples.cli.Experiment;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.stepsize.StepSizeSpec;
import org.dl4jasync.trainer.AsyncTrainer;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The soak: a long run at many threads with Interval-Asynchrony, TAIL-τ, the CAS-published store, periodic
 * evaluation and checkpoints every minute, sampling resident memory, the JVM heap, JavaCPP's physical bytes and the
 * live threads every few seconds, and checking every applied update's staleness against the interval bound (y − 1).
 * Writes {@code samples.csv} (appended: a soak killed midway resumes from its own checkpoints with {@code --resume}
 * semantics and goes on with the same CSV), {@code memory.png} and {@code summary.md} into {@code --out}.
 */
@Command(
        name = "Soak",
        mixinStandardHelpOptions = true,
        description = "A long run that watches memory, errors " + "and the staleness bound.")
public final class Soak implements Callable<Integer> {
    @Option(names = "--minutes", defaultValue = "30", description = "training minutes (default ${DEFAULT-VALUE})")
    double minutes;

    @Option(names = "--workers", defaultValue = "32", description = "worker threads (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--interval-y", defaultValue = "16", description = "interval size y (default ${DEFAULT-VALUE})")
    int y;

    @Option(
            names = "--checkpoint-seconds",
            defaultValue = "60",
            description = "seconds between checkpoints " + "(default ${DEFAULT-VALUE})")
    double checkpointSeconds;

    @Option(
            names = "--sample-seconds",
            defaultValue = "10",
            description = "seconds between memory samples " + "(default ${DEFAULT-VALUE})")
    long sampleSeconds;

    @Option(
            names = "--dataset",
            defaultValue = "fashion-mnist",
            description = "embedded or fashion-mnist " + "(default ${DEFAULT-VALUE})")
    String dataset;

    @Option(
            names = "--out",
            defaultValue = "docs/results/soak",
            description = "output directory (default " + "${DEFAULT-VALUE})")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Soak()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        Path checkpoints = out.resolve("checkpoints");
        boolean resume = Files.isDirectory(checkpoints)
                && Files.list(checkpoints).findAny().isPresent();
        Experiment mlp = new Experiment(dataset, null, "mlp", 16, 0.01, 0.5);
        TrainTest data = mlp.loadData();
        MultiLayerNetwork net = mlp.buildNetwork(data, RunConfig.DEFAULT_SEED);
        AtomicLong applied = new AtomicLong();
        AtomicLong maxTau = new AtomicLong(-1);
        AtomicLong overBound = new AtomicLong();
        AsyncTrainer.Builder b = new AsyncTrainer.Builder(net)
                .workers(workers)
                .dispatch(DispatchSpec.Interval.fixed(y))
                .stepSize(new StepSizeSpec.Tail())
                .store(ParameterStore.Kind.LEASHED)
                .timeLimit(Duration.ofMillis((long) (minutes * 60_000)))
                .checkpointDir(checkpoints)
                .checkpointEverySeconds(checkpointSeconds)
                .evaluation(Experiment.testIterator(data))
                .evalEverySeconds(300)
                .stepListener((w, ticket, accepted, tau, scale, loss) -> {
                    if (accepted) {
                        applied.incrementAndGet();
                        maxTau.accumulateAndGet(tau, Math::max);
                        if (tau > y - 1) {
                            overBound.incrementAndGet();
                        }
                    }
                });
        if (resume) {
            b.resume(checkpoints);
        }
        Path csv = out.resolve("samples.csv");
        if (!resume || !Files.exists(csv)) {
            Files.writeString(
                    csv,
                    "wall_seconds,updates,rss_mib,heap_used_mib,javacpp_physical_mib,live_threads\n",
                    StandardCharsets.UTF_8);
        }
        long t0 = System.nanoTime();
        double offset = lastWallSeconds(csv);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "soak-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(
                () -> sample(csv, offset + (System.nanoTime() - t0) / 1e9, applied.get()),
                0,
                sampleSeconds,
                TimeUnit.SECONDS);
        TrainingReport r;
        String error = null;
        try (AsyncTrainer trainer = b.build()) {
            r = trainer.fit(mlp.trainIterator(data, RunConfig.DEFAULT_SEED), Integer.MAX_VALUE);
        } catch (RuntimeException e) {
            r = null;
            error = e.toString();
        } finally {
            sampler.shutdown();
            sampler.awaitTermination(1, TimeUnit.MINUTES);
        }
        double trainingEnd = offset + (System.nanoTime() - t0) / 1e9;
        sample(csv, trainingEnd, applied.get());
        summarise(csv, trainingEnd, r, error, maxTau.get(), overBound.get(), applied.get(), resume);
        return error == null && overBound.get() == 0 ? 0 : 1;
    }

    private static double lastWallSeconds(Path csv) throws IOException {
        if (!Files.exists(csv)) {
            return 0;
        }
        List<String> lines = Files.readAllLines(csv);
        String last = lines.get(lines.size() - 1);
        return last.startsWith("wall") ? 0 : Double.parseDouble(last.split(",")[0]);
    }

    private static void sample(Path csv, double seconds, long updates) {
        Runtime rt = Runtime.getRuntime();
        String line = String.format(
                Locale.ROOT,
                "%.1f,%d,%.1f,%.1f,%.1f,%d%n",
                seconds,
                updates,
                rssMib(),
                (rt.totalMemory() - rt.freeMemory()) / 1048576.0,
                Pointer.physicalBytes() / 1048576.0,
                Thread.activeCount());
        try {
            Files.writeString(csv, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("soak: cannot append a sample: " + e);
        }
    }

    private static double rssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // reported as NaN
        }
        return Double.NaN;
    }

    private void summarise(
            Path csv,
            double trainingEnd,
            TrainingReport r,
            String error,
            long maxTau,
            long overBound,
            long applied,
            boolean resumed)
            throws IOException {
        List<double[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            if (!line.startsWith("wall")) {
                String[] f = line.split(",");
                double[] v = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    v[i] = Double.parseDouble(f[i]);
                }
                rows.add(v);
            }
        }
        double end = rows.get(rows.size() - 1)[0];
        double warm = Math.min(600, end / 3); // the first ten minutes (or third) are warm-up: the heap grows
        SimpleRegression rss = new SimpleRegression();
        SimpleRegression heap = new SimpleRegression();
        double rssMin = Double.MAX_VALUE;
        double rssMax = 0;
        for (double[] v : rows) {
            if (v[0] >= warm && v[0] < trainingEnd) { // not the samples after the run (memory is released)
                rss.addData(v[0] / 60, v[2]);
                heap.addData(v[0] / 60, v[3]);
                rssMin = Math.min(rssMin, v[2]);
                rssMax = Math.max(rssMax, v[2]);
            }
        }
        XYChart chart = new XYChartBuilder()
                .width(900)
                .height(500)
                .title(String.format(
                        Locale.ROOT,
                        "Soak: %d workers, interval y %d + TAIL-τ, CAS-published store, checkpoints every %.0f s",
                        workers,
                        y,
                        checkpointSeconds))
                .xAxisTitle("wall minutes")
                .yAxisTitle("MiB")
                .build();
        chart.getStyler().setMarkerSize(0);
        double[] t = rows.stream().mapToDouble(v -> v[0] / 60).toArray();
        chart.addSeries(
                        "resident (RSS)",
                        t,
                        rows.stream().mapToDouble(v -> v[2]).toArray())
                .setMarker(SeriesMarkers.NONE);
        chart.addSeries("JVM heap used", t, rows.stream().mapToDouble(v -> v[3]).toArray())
                .setMarker(SeriesMarkers.NONE);
        chart.addSeries(
                        "JavaCPP physical bytes",
                        t,
                        rows.stream().mapToDouble(v -> v[4]).toArray())
                .setMarker(SeriesMarkers.NONE);
        BitmapEncoder.saveBitmap(chart, out.resolve("memory").toString(), BitmapEncoder.BitmapFormat.PNG);
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("summary.md")))) {
            w.printf(Locale.ROOT, "# Soak summary%n%n");
            w.printf(
                    Locale.ROOT,
                    "- %d workers, interval y %d, TAIL-τ, CAS-published store, checkpoints every %.0f s, "
                            + "evaluation every 300 s, MLP on %s%s%n",
                    workers,
                    y,
                    checkpointSeconds,
                    dataset,
                    resumed ? " (this process resumed from the soak's own checkpoints)" : "");
            w.printf(
                    Locale.ROOT,
                    "- result: %s%n",
                    error == null ? "no error; stop reason " + r.stopReason().key() : "FAILED: " + error);
            if (r != null) {
                w.printf(
                        Locale.ROOT,
                        "- updates %d (this process %d), %.0f steps/s, final accuracy %s, max τ in the "
                                + "report %d; checkpoints %s%n",
                        r.stepsAccepted(),
                        applied,
                        r.stepsPerSecond(),
                        r.finalAccuracy(),
                        r.staleness().max(),
                        r.checkpoints());
            }
            w.printf(
                    Locale.ROOT,
                    "- staleness: largest τ seen by the listener %d; updates above y − 1 = %d: %d%n",
                    maxTau,
                    y - 1,
                    overBound);
            w.printf(
                    Locale.ROOT,
                    "- samples %d over %.1f min; after warm-up (%.1f min): RSS %.0f–%.0f MiB, slope "
                            + "%.2f MiB/min (95%% CI ±%.2f), heap slope %.2f MiB/min%n",
                    rows.size(),
                    end / 60,
                    warm / 60,
                    rssMin,
                    rssMax,
                    rss.getSlope(),
                    rss.getSlopeConfidenceInterval(),
                    heap.getSlope());
        }
        System.out.println(Files.readString(out.resolve("summary.md")));
    }
}
