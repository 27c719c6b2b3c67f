package org.dl4jasync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.config.Choice;
import org.dl4jasync.config.LossSignal;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.examples.cli.ExperimentRunner;
import org.dl4jasync.examples.cli.Experiment;
import org.dl4jasync.examples.cli.SimulationRunner;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.metrics.TrainingReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * ElAsyncSGD against constant parallelism (thesis Section D.6): the elastic controller with m̂ workers against a
 * sweep of constant worker counts, each for the same (real or virtual) time. Reports the time and the
 * worker-seconds (∫ m dt) until the training loss first reaches 50% and 15% of the initial loss, the final loss
 * and the total worker-seconds; the best constant m is the one reaching the lower target first.
 */
@Command(name = "ElasticComparison", mixinStandardHelpOptions = true,
        description = "Elastic parallelism vs a sweep of constant worker counts: time and worker-seconds to target.")
public final class ElasticComparison implements Callable<Integer> {
    @Option(names = "--mode", defaultValue = "sim", description = "sim (virtual time) or real (threads)") String mode;
    @Option(names = "--model", defaultValue = "mlp") String model;
    @Option(names = "--max-workers", defaultValue = "64", description = "m̂") int maxWorkers;
    @Option(names = "--sweep", split = ",", defaultValue = "4,8,16,32,64") List<Integer> sweep;
    @Option(names = "--time-limit", defaultValue = "3", description = "seconds per run (virtual in sim mode)") double limit;
    @Option(names = "--step-time", defaultValue = "shifted-exp:0.009,0.001", description = "sim mode") String stepTime;
    @Option(names = "--lr", defaultValue = "0.01") double lr;
    @Option(names = "--seed", defaultValue = "1") long seed;
    @Option(names = "--loss-monitor", defaultValue = "ema") String lossMonitor;
    @Option(names = "--targets", split = ",", defaultValue = "0.5,0.15") List<Double> targets;
    @Option(names = "--elastic-m0", description = "default m̂/2") Integer m0;
    @Option(names = "--elastic-ip", defaultValue = "100") int ip;
    @Option(names = "--elastic-dp", defaultValue = "10") int dp;
    @Option(names = "--elastic-wp", defaultValue = "1") int wp;
    @Option(names = "--skip-sweep", description = "run only the elastic configuration") boolean skipSweep;
    @Option(names = "--json") Path json;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ElasticComparison()).execute(args));
    }

    private Experiment experiment() {
        return new Experiment("embedded", null, model, 16, lr, 0.5);
    }

    private RunConfig config(Integer constantM) {
        RunConfig.Builder c = RunConfig.builder().seed(seed).workers(constantM == null ? maxWorkers : constantM);
        if (constantM == null) {
            c.algorithm(Algorithm.ELASTIC).lossMonitor(Choice.parse("loss_monitor", lossMonitor, LossSignal.class))
                    .elasticIp(ip).elasticDp(dp).elasticWp(wp);
            if (m0 != null) {
                c.elasticM0(m0);
            }
        }
        if ("real".equals(mode)) {
            c.timeLimit(Duration.ofMillis((long) (limit * 1000)));
        } else {
            c.virtualTimeLimit(limit);
        }
        return c.build();
    }

    private TrainingReport run(RunConfig c, TrainTest data) throws Exception {
        if ("sim".equals(mode)) {
            return SimulationRunner.run(experiment(), c, SimulationRunner.Timing.of(stepTime));
        }
        return ExperimentRunner.run(experiment(), c, data, null);
    }

    /** ∫ m dt from the trace's start to t (the trace: [[seconds, accepted, m], …]). */
    private static double workerSecondsUntil(List<Number[]> trace, double t) {
        double used = 0;
        for (int k = 0; k < trace.size(); k++) {
            double a = trace.get(k)[0].doubleValue();
            double z = k + 1 < trace.size() ? trace.get(k + 1)[0].doubleValue() : Double.POSITIVE_INFINITY;
            if (a >= t) {
                break;
            }
            used += trace.get(k)[2].intValue() * (Math.min(z, t) - a);
        }
        return used;
    }

    private static String f(Double v, String fmt) {
        return v == null ? "—" : String.format(Locale.ROOT, fmt, v);
    }

    @Override
    public Integer call() throws Exception {
        TrainTest data = "real".equals(mode) ? experiment().loadData() : null;
        List<Integer> configs = new ArrayList<>();
        configs.add(null); // elastic first: its first loss point is L0 for all
        if (!skipSweep) {
            configs.addAll(sweep);
        }
        System.out.printf(Locale.ROOT, "%s, %s, m̂ = %d, %s %.1f s per run, lr %s, seed %d, loss monitor %s, "
                + "m0 %s, I_P %d·m, D_P %d·m, W_P %d%n", model,
                "sim".equals(mode) ? "simulated (step time " + stepTime + ")" : "real threads on "
                        + Runtime.getRuntime().availableProcessors() + " cores", maxWorkers,
                "sim".equals(mode) ? "virtual" : "wall", limit, lr, seed, lossMonitor,
                m0 == null ? "m̂/2" : String.valueOf(m0), ip, dp, wp);
        StringBuilder head = new StringBuilder("| run | final m | L0 |");
        StringBuilder rule = new StringBuilder("| --- | ---: | ---: |");
        for (double t : targets) {
            head.append(String.format(Locale.ROOT, " s to %.0f%% | worker-s to %.0f%% |", 100 * t, 100 * t));
            rule.append(" ---: | ---: |");
        }
        head.append(" final loss | accuracy | accepted | mean τ | worker-s total |");
        rule.append(" ---: | ---: | ---: | ---: | ---: |");
        System.out.println(head);
        System.out.println(rule);
        Double l0 = null;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Integer m : configs) {
            TrainingReport r = run(config(m), data);
            if (l0 == null && !r.lossTrace().isEmpty()) {
                l0 = r.lossTrace().get(0).value;
            }
            int n = r.lossTrace().size();
            double last = 0;
            int k = 0;
            for (int i = Math.max(0, n - 3); i < n; i++, k++) {
                last += r.lossTrace().get(i).value;
            }
            double finalLoss = k == 0 ? Double.NaN : last / k;
            String name = m == null ? "elastic" : "constant m = " + m;
            int finalM = m == null ? r.parallelismTrace().get(r.parallelismTrace().size() - 1)[2].intValue() : m;
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %s | %d | %.3f |", name, finalM, l0));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("run", name);
            row.put("final_m", finalM);
            row.put("initial_loss", l0);
            for (double t : targets) {
                Double s = l0 == null ? null : Traces.firstAtOrBelow(r.lossTrace(), t * l0);
                Double ws = s == null ? null : m == null ? workerSecondsUntil(r.parallelismTrace(), s) : m * s;
                line.append(' ').append(f(s, "%.2f")).append(" | ").append(f(ws, "%.1f")).append(" |");
                row.put("seconds_to_" + t, s);
                row.put("worker_seconds_to_" + t, ws);
            }
            line.append(String.format(Locale.ROOT, " %.4f | %s | %d | %.1f | %.1f |", finalLoss,
                    r.finalAccuracy() == null ? "—" : String.format(Locale.ROOT, "%.4f", r.finalAccuracy()),
                    r.stepsAccepted(), r.staleness().mean(), r.workerSeconds()));
            System.out.println(line);
            row.put("final_loss", finalLoss);
            row.put("final_accuracy", r.finalAccuracy());
            row.put("steps_accepted", r.stepsAccepted());
            row.put("staleness_mean", r.staleness().mean());
            row.put("worker_seconds", r.workerSeconds());
            row.put("parallelism_trace", r.parallelismTrace());
            row.put("loss_trace", r.lossTrace());
            rows.add(row);
            if (json != null) {
                Files.writeString(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(rows));
            }
        }
        return 0;
    }
}
