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
import org.dl4jasync.config.IntervalSchedule;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.examples.cli.ExperimentRunner;
import org.dl4jasync.examples.cli.Experiment;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.metrics.TracePoint;
import org.dl4jasync.metrics.TrainingReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Real training with many threads on few cores: plain async against Interval-Asynchrony (fixed y0 with decay, auto
 * y0 with decay, probing), interleaved per seed. Reports time to the target accuracy and the final accuracy.
 */
@Command(name = "IntervalTraining", mixinStandardHelpOptions = true,
        description = "Time to target and final accuracy: async vs Interval-Asynchrony variants (real threads).")
public final class IntervalTraining implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "lenet") String model;
    @Option(names = "--dataset", defaultValue = "embedded") String dataset;
    @Option(names = "--workers", defaultValue = "16") int workers;
    @Option(names = "--time-limit", defaultValue = "120", description = "seconds per run") double timeLimit;
    @Option(names = "--target", defaultValue = "0.80", description = "target test accuracy") double target;
    @Option(names = "--eval-every", defaultValue = "250") long evalEvery;
    @Option(names = "--seeds", split = ",", defaultValue = "1,2") List<Long> seeds;
    @Option(names = "--lr", defaultValue = "0.01") double lr;
    @Option(names = "--json", description = "write all reports' summaries as JSON") Path json;
    @Option(names = "--configs", split = ",",
            defaultValue = "async,interval-64-decay,interval-auto-decay,interval-64-probe",
            description = "configurations (default ${DEFAULT-VALUE})") List<String> configs;

    public static void main(String[] args) {
        System.exit(new CommandLine(new IntervalTraining()).execute(args));
    }

    private Experiment experiment() {
        return new Experiment(dataset, null, model, 16, lr, 0.5);
    }

    private RunConfig config(String name, long seed) {
        RunConfig.Builder c = RunConfig.builder().workers(workers).seed(seed)
                .timeLimit(Duration.ofMillis((long) (timeLimit * 1000))).evalEvery(evalEvery);
        switch (name) {
            case "async":
                return c.algorithm(Algorithm.ASYNC).build();
            case "interval-64-decay":
                return c.algorithm(Algorithm.INTERVAL).intervalY(64).intervalPolicy(IntervalSchedule.DECAY).build();
            case "interval-auto-decay":
                return c.algorithm(Algorithm.INTERVAL).autoIntervalY().intervalPolicy(IntervalSchedule.DECAY).build();
            case "interval-64-probe":
                return c.algorithm(Algorithm.INTERVAL).intervalY(64).intervalPolicy(IntervalSchedule.PROBE).build();
            default:
                throw new IllegalArgumentException(name);
        }
    }

    @Override
    public Integer call() throws Exception {
        TrainTest data = experiment().loadData();
        System.out.printf(Locale.ROOT, "%s on %s, %d threads on %d cores, %.0f s per run, target %.2f, eval every %d%n",
                model, data.source, workers, Runtime.getRuntime().availableProcessors(), timeLimit, target, evalEvery);
        System.out.println("| configuration | seed | time to target s | final accuracy | best accuracy | accepted | acceptance | mean τ | max τ |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (long seed : seeds) {
            for (String c : configs) {
                TrainingReport r = ExperimentRunner.run(experiment(), config(c, seed), data, null);
                Double ttt = null;
                double best = 0;
                for (TracePoint p : r.accuracyTrace()) {
                    best = Math.max(best, p.value);
                    if (ttt == null && p.value >= target) {
                        ttt = p.seconds;
                    }
                }
                System.out.printf(Locale.ROOT, "| %s | %d | %s | %.4f | %.4f | %d | %.3f | %.1f | %d |%n", c, seed,
                        ttt == null ? "not reached" : String.format(Locale.ROOT, "%.1f", ttt), r.finalAccuracy(), best,
                        r.stepsAccepted(), r.acceptanceRate(), r.staleness().mean(), r.staleness().max());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("configuration", c);
                row.put("seed", seed);
                row.put("time_to_target_seconds", ttt);
                row.put("final_accuracy", r.finalAccuracy());
                row.put("best_accuracy", best);
                row.put("steps_accepted", r.stepsAccepted());
                row.put("acceptance_rate", r.acceptanceRate());
                row.put("staleness_mean", r.staleness().mean());
                row.put("staleness_max", r.staleness().max());
                row.put("accuracy_trace", r.accuracyTrace());
                row.put("interval_y_chosen", r.config().get("interval_y_chosen"));
                rows.add(row);
            }
        }
        if (json != null) {
            Files.writeString(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
        }
        return 0;
    }
}
