package org.dl4jasync.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.examples.cli.Dl4jBaseline;
import org.dl4jasync.examples.cli.Experiment;
import org.dl4jasync.examples.cli.ExperimentRunner;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parallelism.ElasticSpec;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.spec.Choice;
import org.nd4j.linalg.dataset.DataSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Side-by-side throughput in one process: plain {@code MultiLayerNetwork.fit}, our sequential baseline, async
 * with each store, sync, and DL4J's ParallelWrapper, interleaved over several rounds so that machine noise hits
 * every configuration alike. Reports the median minibatches per second of each and the ratios the performance
 * targets are stated in.
 */
@Command(
        name = "Throughput",
        mixinStandardHelpOptions = true,
        description = "Minibatches per second of net.fit, sequential, sync, async (each store) and ParallelWrapper.")
public final class Throughput implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "lenet", description = "lenet or mlp (default ${DEFAULT-VALUE})")
    String model;

    @Option(
            names = "--dataset",
            defaultValue = "embedded",
            description = "embedded or fashion-mnist (default ${DEFAULT-VALUE})")
    String dataset;

    @Option(
            names = "--workers",
            defaultValue = "2",
            description = "workers of the parallel configurations (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--batch", defaultValue = "16", description = "minibatch size (default ${DEFAULT-VALUE})")
    int batch;

    @Option(
            names = "--steps",
            defaultValue = "400",
            description = "minibatches per configuration and round (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--rounds", defaultValue = "3", description = "interleaved rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(
            names = "--configs",
            split = ",",
            defaultValue = "netfit,sequential,async-hogwild,async-locked,async-leashed,sync,parallelwrapper",
            description = "configurations to run (default ${DEFAULT-VALUE})")
    List<String> configs;

    @Option(names = "--json", description = "write all measurements as JSON")
    Path json;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Throughput()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        TrainTest data = experiment().loadData();
        System.out.printf(
                Locale.ROOT,
                "%s, batch %d, %s, %d steps per configuration, %d rounds, %d workers, %d cores%n",
                model,
                batch,
                data.source,
                steps,
                rounds,
                workers,
                Runtime.getRuntime().availableProcessors());
        // warm-up: JIT and native libraries, not measured
        measure("netfit", data, Math.min(steps, 50));
        measure("async-hogwild", data, Math.min(steps, 50));

        Map<String, double[]> perSecond = new LinkedHashMap<>();
        for (String c : configs) {
            perSecond.put(c, new double[rounds]);
        }
        for (int r = 0; r < rounds; r++) {
            for (String c : configs) {
                double v = measure(c, data, steps);
                perSecond.get(c)[r] = v;
                System.out.printf(Locale.ROOT, "round %d  %-16s %8.2f batches/s%n", r + 1, c, v);
            }
        }
        Map<String, Double> median = new LinkedHashMap<>();
        System.out.println();
        System.out.println("| configuration | median batches/s | rounds |");
        System.out.println("| --- | ---: | --- |");
        for (Map.Entry<String, double[]> e : perSecond.entrySet()) {
            double m = median(e.getValue());
            median.put(e.getKey(), m);
            System.out.printf(Locale.ROOT, "| %s | %.2f | %s |%n", e.getKey(), m, fmt(e.getValue()));
        }
        Map<String, Double> ratios = new LinkedHashMap<>();
        for (String c : median.keySet()) {
            if (c.startsWith("async") || c.equals("sync")) {
                if (median.containsKey("netfit")) {
                    ratios.put(c + " / netfit", median.get(c) / median.get("netfit"));
                }
                if (median.containsKey("parallelwrapper")) {
                    ratios.put(c + " / parallelwrapper", median.get(c) / median.get("parallelwrapper"));
                }
            }
        }
        if (median.containsKey("sequential") && median.containsKey("netfit")) {
            ratios.put("sequential / netfit", median.get("sequential") / median.get("netfit"));
        }
        System.out.println();
        for (Map.Entry<String, Double> e : ratios.entrySet()) {
            System.out.printf(Locale.ROOT, "%-32s %.3f%n", e.getKey(), e.getValue());
        }
        if (json != null) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", model);
            out.put("dataset", dataset);
            out.put("batch", batch);
            out.put("workers", workers);
            out.put("steps", steps);
            out.put("rounds", rounds);
            out.put("batches_per_second", perSecond);
            out.put("median", median);
            out.put("ratios", ratios);
            Files.writeString(
                    json,
                    new ObjectMapper()
                            .enable(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(out));
        }
        return 0;
    }

    private Experiment experiment() {
        return new Experiment(dataset, null, model, batch, 0.01, 0.5);
    }

    /** Minibatches per second of one configuration over {@code n} minibatches. */
    private double measure(String config, TrainTest data, int n) {
        if (config.equals("netfit")) {
            return netFit(data, n);
        }
        RunConfig.Builder c = RunConfig.builder()
                .workers(workers)
                // sync applies one update per m minibatches
                .maxSteps(config.equals("sync") ? Math.max(1, n / workers) : n);
        TrainingReport r;
        if (config.equals("parallelwrapper")) {
            r = ExperimentRunner.runBaseline(
                    Dl4jBaseline.Loop.PARALLEL_WRAPPER,
                    experiment(),
                    c.algorithm(Algorithm.SYNC).build(),
                    data,
                    null);
        } else if (config.startsWith("async-")) {
            String store = config.substring("async-".length());
            r = ExperimentRunner.run(
                    experiment(),
                    c.algorithm(Algorithm.ASYNC)
                            .store(Choice.parse("store", store, ParameterStore.Kind.class))
                            .build(),
                    data,
                    null);
        } else {
            r = ExperimentRunner.run(
                    experiment(),
                    ("elastic".equals(config) // async with elastic parallelism
                                    ? c.algorithm(Algorithm.ASYNC).elastic(ElasticSpec.Probing.DEFAULT)
                                    : c.algorithm(Choice.parse("algorithm", config, Algorithm.class)))
                            .build(),
                    data,
                    null);
        }
        return r.batchesProcessed() / r.wallSeconds();
    }

    /** The plain DL4J loop: {@code net.fit(DataSet)} on the calling thread. */
    private double netFit(TrainTest data, int n) {
        MultiLayerNetwork net = experiment().buildNetwork(data, RunConfig.DEFAULT_SEED);
        List<DataSet> batches = data.train.batches(batch);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            net.fit(batches.get(i % batches.size()));
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String fmt(double[] v) {
        List<String> parts = new ArrayList<>();
        for (double x : v) {
            parts.add(String.format(Locale.ROOT, "%.1f", x));
        }
        return String.join(", ", parts);
    }
}
