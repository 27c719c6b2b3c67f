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
import org.dl4jasync.config.Choice;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.config.StepSizeRule;
import org.dl4jasync.examples.cli.ExperimentRunner;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.examples.cli.Experiment;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.metrics.TrainingReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Staleness-adaptive step sizes in real training (the TAIL-τ paper's comparison): for each model, store and
 * worker count, runs every policy for the same wall time and reports the time until the training loss (mean
 * minibatch loss over 50 accepted steps) first falls to 50% and to a lower fraction of the initial loss. The
 * initial loss of a group is the first loss point of its first policy's run (same seed, same initial network).
 */
@Command(name = "StepSizeComparison", mixinStandardHelpOptions = true,
        description = "Time to 50% and a lower fraction of the initial loss: constant vs tail vs inverse vs fleet.")
public final class StepSizeComparison implements Callable<Integer> {
    @Option(names = "--models", split = ",", defaultValue = "mlp,lenet") List<String> models;
    @Option(names = "--dataset", defaultValue = "embedded") String dataset;
    @Option(names = "--stores", split = ",", defaultValue = "hogwild,leashed") List<String> stores;
    @Option(names = "--workers", split = ",", defaultValue = "2,16") List<Integer> workers;
    @Option(names = "--policies", split = ",", defaultValue = "constant,tail,inverse,fleet") List<String> policies;
    @Option(names = "--time-limit", split = ",", defaultValue = "30,60",
            description = "seconds per run, one per model (default ${DEFAULT-VALUE})") List<Double> timeLimits;
    @Option(names = "--targets", split = ",", defaultValue = "0.5,0.25",
            description = "fractions of the initial loss (default ${DEFAULT-VALUE})") List<Double> targets;
    @Option(names = "--seed", defaultValue = "1") long seed;
    @Option(names = "--lr", defaultValue = "0.01") double lr;
    @Option(names = "--json", description = "write all results as JSON") Path json;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StepSizeComparison()).execute(args));
    }

    private Experiment experiment(String model) {
        return new Experiment(dataset, null, model, 16, lr, 0.5);
    }

    private RunConfig config(String store, int m, String policy, double timeLimit) {
        return RunConfig.builder().workers(m).seed(seed)
                .store(Choice.parse("store", store, ParameterStore.Kind.class))
                .timeLimit(Duration.ofMillis((long) (timeLimit * 1000)))
                .stepSize(Choice.parse("step_size", policy, StepSizeRule.class)).build();
    }

    private static String fmt(Double v) {
        return v == null ? "—" : String.format(Locale.ROOT, "%.1f", v);
    }

    @Override
    public Integer call() throws Exception {
        if (timeLimits.size() != models.size()) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--time-limit needs one value per model (" + models.size() + "), got " + timeLimits);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int mi = 0; mi < models.size(); mi++) {
            String model = models.get(mi);
            double limit = timeLimits.get(mi);
            TrainTest data = experiment(model).loadData();
            System.out.printf(Locale.ROOT, "%n%s on %s, %.0f s per run, lr %s, seed %d, %d cores%n", model,
                    data.source, limit, lr, seed, Runtime.getRuntime().availableProcessors());
            StringBuilder head = new StringBuilder("| store | m | policy | L0 |");
            StringBuilder rule = new StringBuilder("| --- | ---: | --- | ---: |");
            for (double t : targets) {
                head.append(String.format(Locale.ROOT, " s to %.0f%% |", 100 * t));
                rule.append(" ---: |");
            }
            head.append(" final loss | accuracy | accepted | mean τ | factor mean | factor min–max |");
            rule.append(" ---: | ---: | ---: | ---: | ---: | --- |");
            System.out.println(head);
            System.out.println(rule);
            for (String store : stores) {
                for (int m : workers) {
                    Double l0 = null;
                    for (String policy : policies) {
                        TrainingReport r = ExperimentRunner.run(experiment(model), config(store, m, policy, limit), data,
                                null);
                        if (l0 == null && !r.lossTrace().isEmpty()) {
                            l0 = r.lossTrace().get(0).value;
                        }
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("model", model);
                        row.put("store", store);
                        row.put("workers", m);
                        row.put("policy", policy);
                        row.put("step_scale_policy", r.stepScale().policy());
                        row.put("initial_loss", l0);
                        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %s | %d | %s | %.3f |",
                                store, m, policy, l0));
                        Map<String, Double> times = new LinkedHashMap<>();
                        for (double t : targets) {
                            Double s = l0 == null ? null : Traces.firstAtOrBelow(r.lossTrace(), t * l0);
                            times.put(String.valueOf(t), s);
                            line.append(' ').append(fmt(s)).append(" |");
                        }
                        double finalLoss = r.lossTrace().isEmpty() ? Double.NaN
                                : r.lossTrace().get(r.lossTrace().size() - 1).value;
                        line.append(String.format(Locale.ROOT, " %.4f | %s | %d | %.1f | %.3f | %.3f–%.3f |",
                                finalLoss, r.finalAccuracy() == null ? "—" : String.format(Locale.ROOT, "%.4f",
                                        r.finalAccuracy()), r.stepsAccepted(), r.staleness().mean(), r.stepScale().mean(),
                                r.stepScale().min(), r.stepScale().max()));
                        System.out.println(line);
                        row.put("seconds_to_fraction", times);
                        row.put("final_loss", finalLoss);
                        row.put("final_accuracy", r.finalAccuracy());
                        row.put("stop_reason", r.stopReason().key());
                        row.put("steps_accepted", r.stepsAccepted());
                        row.put("staleness_mean", r.staleness().mean());
                        row.put("factor_mean", r.stepScale().mean());
                        row.put("factor_min", r.stepScale().min());
                        row.put("factor_max", r.stepScale().max());
                        row.put("loss_trace", r.lossTrace());
                        rows.add(row);
                        if (json != null) {
                            Files.writeString(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                                    .writeValueAsString(rows));
                        }
                    }
                }
            }
        }
        return 0;
    }
}
