package org.dl4jasync.bench;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dl4jasync.dispatch.IntervalDispatcher;
import org.dl4jasync.dispatch.IntervalPolicy;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.trainer.Simulator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Interval-Asynchrony in simulation: acceptance and mean staleness for several y and step-time distributions,
 * against the paper's y / (y + E[τ_async]) and the uniform mean (y − 1) / 2.
 */
@Command(
        name = "IntervalSweep",
        mixinStandardHelpOptions = true,
        description = "Acceptance and staleness of Interval-Asynchrony per y and step-time distribution (simulated).")
public final class IntervalSweep implements Callable<Integer> {
    @Option(names = "--workers", defaultValue = "128", description = "virtual workers (default ${DEFAULT-VALUE})")
    int workers;

    @Option(
            names = "--steps",
            defaultValue = "100000",
            description = "accepted steps per run (default ${DEFAULT-VALUE})")
    long steps;

    @Option(names = "--seed", defaultValue = "11", description = "seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--y", split = ",", defaultValue = "16,32,64,128,512", description = "interval sizes")
    List<Integer> ys;

    @Option(
            names = "--step-time",
            split = ";",
            defaultValue = "exp:1;uniform:0.5,1.5;shifted-exp:0.9,0.1;constant:1",
            description = "step-time distributions, ';'-separated")
    List<String> stepTimes;

    public static void main(String[] args) {
        System.exit(new CommandLine(new IntervalSweep()).execute(args));
    }

    @Override
    public Integer call() {
        System.out.println("| step time | E[τ] async | y | acceptance | y/(y+E[τ]) | mean τ | (y−1)/2 |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (String st : stepTimes) {
            TrainingReport async = new Simulator.Builder(workers, StepTimes.parse(st, workers))
                    .seed(seed)
                    .maxSteps(steps)
                    .build()
                    .run();
            double tau = async.staleness().mean();
            for (int y : ys) {
                TrainingReport r = new Simulator.Builder(workers, StepTimes.parse(st, workers))
                        .seed(seed)
                        .maxSteps(steps)
                        .dispatcher(m -> new IntervalDispatcher(m, IntervalPolicy.fixed(y), null))
                        .build()
                        .run();
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %.1f | %d | %.3f | %.3f | %.1f | %.1f |%n",
                        st,
                        tau,
                        y,
                        r.acceptanceRate(),
                        y / (y + tau),
                        r.staleness().mean(),
                        (y - 1) / 2.0);
            }
        }
        return 0;
    }
}
