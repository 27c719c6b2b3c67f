package org.dl4jasync.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The cluster store against the in-process one, side by side in one run: {@code train --local-members m} (m member
 * JVMs on loopback, one worker each) against {@code train --workers m} (one JVM, the HOGWILD! store), for each m,
 * interleaved over several rounds. Each run trains for the same wall time; reported: updates per second (the
 * cluster's: the sum of its members' own rates), the mean read and apply latencies, the payload bytes each update
 * sends, all as medians over the rounds with their range.
 */
@Command(
        name = "ClusterThroughput",
        mixinStandardHelpOptions = true,
        description = "Updates/s, latencies and bytes per update of the cluster store (m member JVMs) against the "
                + "in-process store (m threads).")
public final class ClusterThroughput implements Callable<Integer> {
    @Option(
            names = "--model",
            defaultValue = "mlp",
            description = "the train command's model (default ${DEFAULT-VALUE})")
    String model;

    @Option(
            names = "--members",
            split = ",",
            defaultValue = "1,2,4",
            description = "member counts m (default ${DEFAULT-VALUE})")
    List<Integer> members;

    @Option(names = "--seconds", defaultValue = "20", description = "training time per run (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--rounds", defaultValue = "3", description = "interleaved rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(
            names = "--shards",
            defaultValue = "4",
            description = "the cluster store's shards (default ${DEFAULT-VALUE})")
    int shards;

    @Option(names = "--out", required = true, description = "directory for the runs' reports and the summary")
    Path out;

    private int port = 17701;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ClusterThroughput()).execute(args));
    }

    /** One run's figures. */
    private record Figures(double updatesPerSecond, Double readMs, Double applyMs, Double bytesPerUpdate) {}

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        System.out.printf(
                Locale.ROOT,
                "%s, %d s per run, %d rounds, members %s, %d shards, %d cores%n",
                model,
                seconds,
                rounds,
                members,
                shards,
                Runtime.getRuntime().availableProcessors());
        Map<String, List<Figures>> runs = new LinkedHashMap<>();
        for (int m : members) {
            runs.put("in-process, " + m + " worker(s)", new ArrayList<>());
            runs.put("cluster, " + m + " member JVM(s)", new ArrayList<>());
        }
        for (int r = 0; r < rounds; r++) {
            for (int m : members) {
                for (boolean cluster : new boolean[] {false, true}) {
                    String name = cluster ? "cluster, " + m + " member JVM(s)" : "in-process, " + m + " worker(s)";
                    Figures f = run(cluster, m, r);
                    runs.get(name).add(f);
                    System.out.printf(
                            Locale.ROOT,
                            "round %d  %-26s %8.1f updates/s  read %s ms  apply %s ms  %s B/update%n",
                            r + 1,
                            name,
                            f.updatesPerSecond(),
                            fmt(f.readMs()),
                            fmt(f.applyMs()),
                            fmt(f.bytesPerUpdate()));
                }
            }
        }
        StringBuilder table = new StringBuilder();
        table.append("| configuration | updates/s, median [range] | read ms | apply ms | bytes sent per update |\n");
        table.append("| --- | ---: | ---: | ---: | ---: |\n");
        Map<String, Object> json = new LinkedHashMap<>();
        for (Map.Entry<String, List<Figures>> e : runs.entrySet()) {
            double[] ups =
                    e.getValue().stream().mapToDouble(Figures::updatesPerSecond).toArray();
            table.append(String.format(
                    Locale.ROOT,
                    "| %s | %.1f [%.1f, %.1f] | %s | %s | %s |%n",
                    e.getKey(),
                    org.dl4jasync.bench.compare.Stats.median(ups),
                    Arrays.stream(ups).min().orElse(0),
                    Arrays.stream(ups).max().orElse(0),
                    fmt(median(e.getValue().stream().map(Figures::readMs).toList())),
                    fmt(median(e.getValue().stream().map(Figures::applyMs).toList())),
                    fmt(median(
                            e.getValue().stream().map(Figures::bytesPerUpdate).toList()))));
            json.put(e.getKey(), e.getValue());
        }
        System.out.println();
        System.out.print(table);
        Files.writeString(out.resolve("summary.md"), table.toString());
        Files.writeString(
                out.resolve("runs.json"),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
        return 0;
    }

    /** Runs one configuration in its own JVM(s); its figures. */
    @SuppressWarnings("unchecked")
    private Figures run(boolean cluster, int m, int round) throws IOException, InterruptedException {
        Path json = out.resolve((cluster ? "cluster-" : "inprocess-") + m + "-round" + (round + 1) + ".json");
        List<String> args = new ArrayList<>(List.of(
                "--model", model, "--time-limit", String.valueOf(seconds), "--seed", String.valueOf(round + 1)));
        if (cluster) {
            args.addAll(List.of(
                    "--workers",
                    "1",
                    "--local-members",
                    String.valueOf(m),
                    "--cluster-shards",
                    String.valueOf(shards),
                    "--cluster-name",
                    "bench-" + round + "-" + m,
                    "--cluster-port",
                    String.valueOf(port)));
            port += m + 2;
        } else {
            args.addAll(List.of("--workers", String.valueOf(m)));
        }
        Map<String, Object> r = TrainProcess.run(args, json);
        if (!cluster) {
            return new Figures(((Number) r.get("steps_per_second")).doubleValue(), null, null, null);
        }
        Map<String, Object> stats = (Map<String, Object>) r.get("store_stats");
        List<Map<String, Object>> each = (List<Map<String, Object>>) stats.get("members");
        double rate = 0;
        double read = 0;
        double apply = 0;
        for (Map<String, Object> mem : each) {
            rate += ((Number) mem.get("steps_per_second")).doubleValue();
            Map<String, Object> own = (Map<String, Object>) mem.get("store_stats");
            read += ((Number) own.get("read_ms_mean")).doubleValue() / each.size();
            apply += ((Number) own.get("apply_ms_mean")).doubleValue() / each.size();
        }
        return new Figures(rate, read, apply, ((Number) stats.get("bytes_sent_per_update")).doubleValue());
    }

    private static Double median(List<Double> v) {
        if (v.stream().anyMatch(x -> x == null)) {
            return null;
        }
        return org.dl4jasync.bench.compare.Stats.median(
                v.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static String fmt(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }
}
