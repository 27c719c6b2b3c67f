package org.dl4jasync.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.bench.compare.Stats;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.examples.cli.Experiment;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.trainer.AsyncTrainer;
import org.nd4j.linalg.dataset.DataSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The cost of training a {@code ComputationGraph} instead of a {@code MultiLayerNetwork} of the same layers: the MLN
 * of {@code --model}, and DL4J's own conversion of it to a graph ({@code MultiLayerNetwork.toComputationGraph()}:
 * the same layers, parameters and updater), trained by the same trainer on the same batches, for each store and for
 * one worker, interleaved over {@code --rounds} rounds in one process so that machine noise hits both alike.
 * Reports per configuration the median steps/s of each model type and the per-round ratio graph / network (median,
 * percentile-bootstrap and distribution-free 95 % intervals, range), and the same over all configurations' rounds.
 */
@Command(
        name = "GraphThroughput",
        mixinStandardHelpOptions = true,
        description = "Steps per second of the same layers as a MultiLayerNetwork and as a ComputationGraph.")
public final class GraphThroughput implements Callable<Integer> {
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
            description = "workers of the store configurations (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--batch", defaultValue = "16", description = "minibatch size (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--steps", defaultValue = "400", description = "updates per measurement (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--rounds", defaultValue = "5", description = "interleaved rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--json", description = "write all measurements as JSON")
    Path json;

    public static void main(String[] args) {
        System.exit(new CommandLine(new GraphThroughput()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Experiment experiment = new Experiment(dataset, null, model, batch, 0.01, 0.5);
        TrainTest data = experiment.loadData();
        List<DataSet> batches = data.train.batches(batch);
        String[] configs = {"1 worker", "hogwild", "locked", "leashed"};
        System.out.printf(
                Locale.ROOT,
                "%s, batch %d, %s, %d updates per measurement, %d rounds, %d workers, %d cores%n",
                model,
                batch,
                data.source,
                steps,
                rounds,
                workers,
                Runtime.getRuntime().availableProcessors());
        measure(experiment, data, batches, "hogwild", false, Math.min(steps, 100)); // warm-up, not recorded
        measure(experiment, data, batches, "hogwild", true, Math.min(steps, 100));

        Map<String, double[][]> perSecond = new LinkedHashMap<>(); // config → [network, graph][round]
        for (String c : configs) {
            perSecond.put(c, new double[2][rounds]);
        }
        for (int r = 0; r < rounds; r++) {
            for (String c : configs) {
                // alternate which model type goes first, so that a drift within a round favours neither
                boolean graphFirst = r % 2 == 1;
                for (int k = 0; k < 2; k++) {
                    boolean graph = graphFirst == (k == 0);
                    double v = measure(experiment, data, batches, c, graph, steps);
                    perSecond.get(c)[graph ? 1 : 0][r] = v;
                    System.out.printf(
                            Locale.ROOT,
                            "round %d  %-9s %-7s %8.2f steps/s%n",
                            r + 1,
                            c,
                            graph ? "graph" : "network",
                            v);
                }
            }
        }
        System.out.println();
        System.out.println(
                "| configuration | network steps/s (median) | graph steps/s (median) | graph / network per round: median [bootstrap 95 %] | distribution-free 95 % | range |");
        System.out.println("| --- | ---: | ---: | --- | --- | --- |");
        Map<String, Object> summary = new LinkedHashMap<>();
        double[] pooled = new double[0];
        for (Map.Entry<String, double[][]> e : perSecond.entrySet()) {
            double[] net = e.getValue()[0];
            double[] graph = e.getValue()[1];
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratio[r] = graph[r] / net[r];
            }
            System.out.println(row(e.getKey(), Stats.median(net), Stats.median(graph), ratio));
            pooled = concat(pooled, ratio);
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("network", net);
            s.put("graph", graph);
            s.put("ratio", ratio);
            s.put("ratio_median", Stats.median(ratio));
            summary.put(e.getKey(), s);
        }
        System.out.println(row("all configurations", Double.NaN, Double.NaN, pooled));
        Stats.Estimate all = Stats.estimate(pooled);
        summary.put(
                "pooled_ratio",
                Map.of("median", all.median(), "bootstrap_low", all.low(), "bootstrap_high", all.high(), "n", all.n()));
        if (json != null) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", model);
            out.put("dataset", dataset);
            out.put("batch", batch);
            out.put("workers", workers);
            out.put("steps", steps);
            out.put("rounds", rounds);
            out.put("steps_per_second", summary);
            Files.createDirectories(json.toAbsolutePath().getParent());
            Files.writeString(
                    json,
                    new ObjectMapper()
                            .enable(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(out));
        }
        return 0;
    }

    /** A table row: medians, and the per-round ratios' median with its bootstrap and distribution-free intervals. */
    private static String row(String name, double net, double graph, double[] ratio) {
        Stats.Estimate e = Stats.estimate(ratio);
        double[] exact = Stats.medianInterval(ratio);
        double[] sorted = ratio.clone();
        Arrays.sort(sorted);
        return String.format(
                Locale.ROOT,
                "| %s | %s | %s | %.3f [%.3f, %.3f] | %s | [%.3f, %.3f] |",
                name,
                Double.isNaN(net) ? "" : String.format(Locale.ROOT, "%.1f", net),
                Double.isNaN(graph) ? "" : String.format(Locale.ROOT, "%.1f", graph),
                e.median(),
                e.low(),
                e.high(),
                exact == null ? "n/a (< 6 rounds)" : String.format(Locale.ROOT, "[%.3f, %.3f]", exact[0], exact[1]),
                sorted[0],
                sorted[sorted.length - 1]);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Updates per second of the network, or of its graph conversion, over {@code n} updates (no evaluation). */
    private double measure(
            Experiment experiment, TrainTest data, List<DataSet> batches, String config, boolean graph, int n) {
        MultiLayerNetwork net = experiment.buildNetwork(data, RunConfig.DEFAULT_SEED);
        Model m = graph ? toGraph(net) : net;
        boolean one = config.equals("1 worker");
        AsyncTrainer.Builder b = new AsyncTrainer.Builder(m)
                .workers(one ? 1 : workers)
                .maxSteps(n)
                .store(
                        one
                                ? ParameterStore.Kind.HOGWILD
                                : ParameterStore.Kind.valueOf(config.toUpperCase(Locale.ROOT)));
        TrainingReport r;
        try (AsyncTrainer t = b.build()) {
            r = t.fit(new ExistingDataSetIterator(batches), Integer.MAX_VALUE);
        }
        return r.stepsAccepted() / r.wallSeconds();
    }

    private static ComputationGraph toGraph(MultiLayerNetwork net) {
        return net.toComputationGraph();
    }
}
