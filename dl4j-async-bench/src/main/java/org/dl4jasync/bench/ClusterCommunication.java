package org.dl4jasync.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dl4jasync.bench.compare.Stats;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The ABS paper's communication claim with real messages (Q. Tan, F. Zhu, J. Zhang, "ABS: Adaptive Bounded
 * Staleness Converges Faster and Communicates Less", arXiv:2301.08895): ABS against AdaSync (K-async with AdaSync's
 * K_t, no staleness threshold) and plain async, each on {@code --members} member JVMs on loopback ({@code
 * --workers} each, the cluster store), trained until the test accuracy on the cluster's parameters reaches {@code --target} (every
 * member evaluates every {@code --eval-every} of its own updates and stops when it sees the target). Recorded per
 * run: the payload bytes all members sent and received, the rounds (async: updates; each one a push and a pull at
 * the parameter server), the submissions uploaded, the restarts, the wall time. Seeds are paired across the
 * algorithms; ratios and verdicts as in {@code compare} ({@link Stats}). Resumable: a run whose report exists is not
 * run again.
 */
@Command(
        name = "ClusterCommunication",
        mixinStandardHelpOptions = true,
        description = "Bytes and rounds of ABS, AdaSync and async on the cluster store to one test accuracy.")
public final class ClusterCommunication implements Callable<Integer> {
    @Option(
            names = "--model",
            defaultValue = "mlp",
            description = "the train command's model (default ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--members", defaultValue = "3", description = "member JVMs (default ${DEFAULT-VALUE})")
    int members;

    @Option(names = "--workers", defaultValue = "1", description = "workers per member JVM (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--seeds", defaultValue = "6", description = "seeds 1..N per algorithm (default ${DEFAULT-VALUE})")
    int seeds;

    @Option(
            names = "--target",
            defaultValue = "0.72",
            description = "test accuracy to reach (default ${DEFAULT-VALUE})")
    double target;

    @Option(
            names = "--eval-every",
            defaultValue = "20",
            description = "each member's evaluation period, in its own updates (default ${DEFAULT-VALUE})")
    int evalEvery;

    @Option(
            names = "--time-limit",
            defaultValue = "240",
            description = "a run that has not reached the target by then ends (default ${DEFAULT-VALUE} s)")
    int timeLimit;

    @Option(names = "--out", required = true, description = "directory for the runs' reports and the summary")
    Path out;

    /** The algorithms compared and their train options. */
    static final Map<String, List<String>> ALGORITHMS = new LinkedHashMap<>();

    static {
        ALGORITHMS.put("abs", List.of("--algorithm", "abs"));
        ALGORITHMS.put("adasync", List.of("--algorithm", "kasync", "--kasync-adaptive"));
        ALGORITHMS.put("async", List.of("--algorithm", "async"));
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ClusterCommunication()).execute(args));
    }

    /** One run's figures (NaN when the target was not reached, for the figures "to the target"). */
    record Figures(
            int seed,
            boolean reached,
            double bytesSent,
            double bytesReceived,
            double rounds,
            double uploads,
            double restarts,
            double seconds,
            double accuracy) {}

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        System.out.printf(
                Locale.ROOT,
                "%s, %d member JVMs x %d worker(s), target accuracy %.2f, seeds 1..%d, %d cores%n",
                model,
                members,
                workers,
                target,
                seeds,
                Runtime.getRuntime().availableProcessors());
        Map<String, List<Figures>> runs = new LinkedHashMap<>();
        ALGORITHMS.keySet().forEach(a -> runs.put(a, new ArrayList<>()));
        int port = 18701;
        for (int seed = 1; seed <= seeds; seed++) {
            for (Map.Entry<String, List<String>> a : ALGORITHMS.entrySet()) {
                Path json = out.resolve(a.getKey() + "-seed" + seed + ".json");
                Map<String, Object> r = Files.exists(json)
                        ? TrainProcess.parse(json)
                        : TrainProcess.run(args(a.getValue(), seed, port, a.getKey()), json);
                port += members + 2;
                Figures f = figures(r, seed);
                runs.get(a.getKey()).add(f);
                System.out.printf(
                        Locale.ROOT,
                        "seed %d  %-8s %s  %.1f MB sent  %.0f rounds  %.0f uploads  %.0f restarts  %.1f s  acc %.3f%n",
                        seed,
                        a.getKey(),
                        f.reached() ? "reached" : "NOT reached",
                        f.bytesSent() / 1e6,
                        f.rounds(),
                        f.uploads(),
                        f.restarts(),
                        f.seconds(),
                        f.accuracy());
            }
        }
        String summary = summary(runs);
        System.out.println();
        System.out.print(summary);
        Files.writeString(out.resolve("summary.md"), summary);
        Files.writeString(
                out.resolve("runs.json"),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(runs));
        return 0;
    }

    private List<String> args(List<String> algorithm, int seed, int port, String name) {
        List<String> args = new ArrayList<>(List.of(
                "--model",
                model,
                "--workers",
                String.valueOf(workers),
                "--local-members",
                String.valueOf(members),
                "--cluster-name",
                "comm-" + name + "-" + workers + "-" + seed,
                "--cluster-port",
                String.valueOf(port),
                "--seed",
                String.valueOf(seed),
                "--target-accuracy",
                String.valueOf(target),
                "--eval-every",
                String.valueOf(evalEvery),
                "--time-limit",
                String.valueOf(timeLimit)));
        args.addAll(algorithm);
        return args;
    }

    /** A merged cluster report's figures: every member reached the target, the sums over the members. */
    @SuppressWarnings("unchecked")
    private static Figures figures(Map<String, Object> r, int seed) {
        Map<String, Object> stats = (Map<String, Object>) r.get("store_stats");
        List<Map<String, Object>> each = (List<Map<String, Object>>) stats.get("members");
        boolean reached =
                !each.isEmpty() && each.stream().allMatch(m -> "target_accuracy".equals(m.get("stop_reason")));
        double rounds = r.get("rounds") == null ? num(r.get("steps_accepted")) : num(r.get("rounds"));
        double uploads = r.get("uploads") == null ? num(r.get("steps_accepted")) : num(r.get("uploads"));
        Object acc = r.get("final_accuracy");
        return new Figures(
                seed,
                reached,
                num(stats.get("bytes_sent")),
                num(stats.get("bytes_received")),
                rounds,
                uploads,
                r.get("restarts") == null ? 0 : num(r.get("restarts")),
                num(r.get("wall_seconds")),
                acc == null ? Double.NaN : num(acc));
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    /** The figures to the target: NaN for a run that did not reach it (left out of the medians). */
    private static double[] toTarget(List<Figures> runs, java.util.function.ToDoubleFunction<Figures> f) {
        return runs.stream()
                .mapToDouble(x -> x.reached() ? f.applyAsDouble(x) : Double.POSITIVE_INFINITY)
                .toArray();
    }

    private String summary(Map<String, List<Figures>> runs) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(
                Locale.ROOT,
                "%s, %d member JVMs x %d worker(s) (cluster store), to test accuracy %.2f; medians over seeds "
                        + "with their bootstrap 95%% interval (a run that did not reach the target counts as "
                        + "infinite)%n%n",
                model,
                members,
                workers,
                target));
        t.append("| algorithm | reached | MB sent | rounds | uploads | restarts | wall s |\n");
        t.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Map.Entry<String, List<Figures>> e : runs.entrySet()) {
            List<Figures> v = e.getValue();
            t.append(String.format(
                    Locale.ROOT,
                    "| %s | %d/%d | %s | %s | %s | %s | %s |%n",
                    e.getKey(),
                    v.stream().filter(Figures::reached).count(),
                    v.size(),
                    est(toTarget(v, x -> x.bytesSent() / 1e6)),
                    est(toTarget(v, Figures::rounds)),
                    est(toTarget(v, Figures::uploads)),
                    est(toTarget(v, Figures::restarts)),
                    est(toTarget(v, Figures::seconds))));
        }
        t.append("\n| ratio (paired by seed) | bytes sent, median [95% interval] | verdict | rounds | verdict |\n");
        t.append("| --- | ---: | --- | ---: | --- |\n");
        for (String[] pair : new String[][] {{"abs", "adasync"}, {"abs", "async"}, {"adasync", "async"}}) {
            List<Figures> a = runs.get(pair[0]);
            List<Figures> b = runs.get(pair[1]);
            double[] bytes = Stats.ratios(toTarget(a, Figures::bytesSent), toTarget(b, Figures::bytesSent));
            double[] rounds = Stats.ratios(toTarget(a, Figures::rounds), toTarget(b, Figures::rounds));
            t.append(String.format(
                    Locale.ROOT,
                    "| %s / %s | %s | %s | %s | %s |%n",
                    pair[0],
                    pair[1],
                    est(bytes),
                    verdict(bytes),
                    est(rounds),
                    verdict(rounds)));
        }
        t.append("\n(fewer/more: both 95% intervals of the paired ratio lie below/above 1, as compare's verdicts.)\n");
        return t.toString();
    }

    /** compare's verdict on a ratio of counts: "fewer" below 1, "more" above. */
    private static String verdict(double[] ratios) {
        return switch (Stats.verdict(ratios)) {
            case FASTER -> "fewer";
            case SLOWER -> "more";
            default -> Stats.verdict(ratios).text;
        };
    }

    private static String est(double[] v) {
        Stats.Estimate e = Stats.estimate(v);
        if (e.n() == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%s [%s, %s]", fmt(e.median()), fmt(e.low()), fmt(e.high()));
    }

    private static String fmt(double v) {
        if (Double.isInfinite(v)) {
            return "∞";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
