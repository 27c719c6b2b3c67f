package org.dl4jasync.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonTest {
    private static final Suite SUITE = new Suite(
            "t",
            "train",
            List.of(1L, 2L, 3L),
            OptionalDouble.of(60),
            List.of(Target.accuracy(0.8)),
            List.of("base"),
            List.of(
                    new Suite.Configuration("base", List.of("--algorithm", "netfit")),
                    new Suite.Configuration("fast", List.of("--algorithm", "async")),
                    new Suite.Configuration("never", List.of("--algorithm", "sync"))));

    /**
     * Writes a report: base reaches 0.8 at 100·seed s, fast at 50·seed s, never does not reach it. Loss: base starts
     * at 2.0 and is at 0.8 at 100·seed s; fast starts at 3.0, is at 1.4 at 25·seed s and at 0.9 at 50·seed s; never
     * goes from 2.0 to 1.5.
     */
    private final List<String> ran = new ArrayList<>();

    private boolean failSync;
    private final Comparison.Executor fake = (args, log) -> {
        String algorithm = args.get(args.indexOf("--algorithm") + 1);
        long seed = Long.parseLong(args.get(args.indexOf("--seed") + 1));
        ran.add(algorithm + " " + seed);
        if (algorithm.equals("sync") && seed == 2 && this.failSync) {
            return 1;
        }
        double t = algorithm.equals("netfit") ? 100 * seed : algorithm.equals("async") ? 50 * seed : 1e9;
        double acc = algorithm.equals("sync") ? 0.7 : 0.82;
        String loss = algorithm.equals("netfit")
                ? String.format(Locale.ROOT, "[[1, 50, 2.0], [%s, 100, 0.8]]", t)
                : algorithm.equals("async")
                        ? String.format(Locale.ROOT, "[[1, 50, 3.0], [%s, 75, 1.4], [%s, 100, 0.9]]", t / 2, t)
                        : "[[1, 50, 2.0], [60, 100, 1.5]]";
        Files.writeString(
                Path.of(args.get(args.indexOf("--json") + 1)),
                String.format(
                        Locale.ROOT,
                        "{\"algorithm\": \"%s\", \"workers\": 2, \"stop_reason\": \"time_limit\", \"steps_accepted\": 100,"
                                + " \"steps_per_second\": %d, \"acceptance_rate\": 1.0, \"staleness\": {\"mean\": 1.0},"
                                + " \"wall_seconds\": 60, \"worker_seconds\": 120, \"final_accuracy\": %s,"
                                + " \"accuracy_trace\": [[%s, 10, 0.5], [%s, 20, %s]], \"loss_trace\": %s}",
                        algorithm,
                        10 * seed,
                        acc,
                        t / 2,
                        t,
                        acc,
                        loss));
        return 0;
    };

    private static final Comparison.Progress QUIET = new Comparison.Progress() {
        @Override
        public void started(Comparison.PlannedRun run, int index, int total) {}

        @Override
        public void finished(Comparison.PlannedRun run, boolean ok, boolean skipped) {}
    };

    @Test
    void runsAreInterleavedPerSeedAndCarryTheHarnessArguments(@TempDir Path out) {
        List<Comparison.PlannedRun> plan = Comparison.plan(SUITE, out, null);
        assertThat(plan)
                .extracting(Comparison.PlannedRun::label)
                .containsExactly(
                        "base seed 1",
                        "fast seed 1",
                        "never seed 1",
                        "base seed 2",
                        "fast seed 2",
                        "never seed 2",
                        "base seed 3",
                        "fast seed 3",
                        "never seed 3");
        assertThat(plan.get(4).args())
                .containsExactly(
                        "train",
                        "--algorithm",
                        "async",
                        "--seed",
                        "2",
                        "--time-limit",
                        "60.0",
                        "--on-non-finite",
                        "stop",
                        "--quiet",
                        "--json",
                        out.resolve("runs/fast-seed2.json.part").toString());
        assertThat(Comparison.plan(SUITE, out, List.of(9L))).hasSize(3);
        assertThat(Comparison.estimatedSeconds(SUITE).getAsDouble()).isEqualTo(60 + Comparison.OVERHEAD_SECONDS);
    }

    @Test
    void unfinishedSimulationsAreEstimatedFromTheFinishedRunsOfTheirConfiguration(@TempDir Path out) throws Exception {
        Suite sim = new Suite(
                "s",
                "simulate",
                List.of(1L, 2L, 3L),
                OptionalDouble.of(4),
                List.of(),
                List.of(),
                List.of(
                        new Suite.Configuration("a", List.of("--algorithm", "async")),
                        new Suite.Configuration("b", List.of("--algorithm", "sync"))));
        List<Comparison.PlannedRun> plan = Comparison.plan(sim, out, null);
        assertThat(Comparison.estimate(sim, plan, 1)).isEqualTo(new Comparison.Estimate(0, 6));
        Files.createDirectories(plan.get(0).report().getParent());
        Files.writeString(plan.get(0).report(), "{\"wall_seconds\": 100}"); // a, seed 1
        Files.writeString(plan.get(2).report(), "{\"wall_seconds\": 300}"); // a, seed 2
        // a seed 3 at the median of a's finished runs (200 s) plus the overhead; b has none to go by
        assertThat(Comparison.estimate(sim, plan, 1))
                .isEqualTo(new Comparison.Estimate(200 + Comparison.OVERHEAD_SECONDS, 3));
        assertThat(Comparison.estimate(sim, plan, 2).seconds()).isEqualTo((200 + Comparison.OVERHEAD_SECONDS) / 2);
        // a train suite with a time limit: the limit plus the overhead per unfinished run
        assertThat(Comparison.estimate(SUITE, Comparison.plan(SUITE, out.resolve("t"), null), 1))
                .isEqualTo(new Comparison.Estimate(9 * (60 + Comparison.OVERHEAD_SECONDS), 0));
    }

    @Test
    void resumeSkipsFinishedRunsAndAFailedRunIsRetried(@TempDir Path out) throws Exception {
        List<Comparison.PlannedRun> plan = Comparison.plan(SUITE, out, null);
        failSync = true;
        List<Comparison.PlannedRun> failed = Comparison.run(plan, fake, QUIET);
        assertThat(failed).extracting(Comparison.PlannedRun::label).containsExactly("never seed 2");
        assertThat(ran).hasSize(9);
        assertThat(Files.exists(Comparison.partial(failed.get(0).report()))).isFalse();
        ran.clear();
        failSync = false;
        assertThat(Comparison.run(plan, fake, QUIET)).isEmpty();
        assertThat(ran).as("only the failed run again").containsExactly("sync 2");
        assertThat(Comparison.results(SUITE, plan)).hasSize(9);
    }

    @Test
    void summaryHasMediansIntervalsNeverAndVerdicts(@TempDir Path out) throws Exception {
        List<Comparison.PlannedRun> plan = Comparison.plan(SUITE, out, null);
        Comparison.run(plan, fake, QUIET);
        List<RunResult> results = Comparison.results(SUITE, plan);
        RunResult base2 = results.get(3);
        assertThat(base2.timesToTargets()[0]).isEqualTo(200);
        assertThat(base2.bestAccuracy()).isEqualTo(0.82);
        String md = SummaryWriter.summary(SUITE, results, plan.size(), 0);
        assertThat(md).contains("| base | 3 | 0.8200 | 0.8200 | 200 s [100 s, 300 s] (3/3) | 20.0 [10.0, 30.0] |");
        assertThat(md).contains("| never | 3 | 0.7000 | 0.7000 | never (0/3) |");
        assertThat(md).contains("| fast | 80% | 0.50 | 3 | no difference shown (fewer than 6 pairs");
        assertThat(md).contains("| never | 80% | ∞ | 3 | no difference shown (fewer than 6 pairs");
        SummaryWriter.writeCsv(out.resolve("runs.csv"), SUITE, results);
        List<String> csv = Files.readAllLines(out.resolve("runs.csv"));
        assertThat(csv).hasSize(10);
        assertThat(csv.get(0))
                .endsWith(",final_accuracy,best_accuracy,gradients,discarded,uploads,time_to_0.8,uploads_to_0.8");
        assertThat(csv.get(3)).startsWith("never,1,sync,2,time_limit,100,10.0,1.0,1.0,,,120.0,60.0,0.7,0.7,,,,inf,");
    }

    @Test
    void withSixSeedsTheVerdictsAreStated(@TempDir Path out) throws Exception {
        Suite six = new Suite(
                "six",
                "train",
                List.of(1L, 2L, 3L, 4L, 5L, 6L),
                OptionalDouble.of(60),
                List.of(Target.accuracy(0.8)),
                List.of("base"),
                SUITE.configurations());
        List<Comparison.PlannedRun> plan = Comparison.plan(six, out, null);
        Comparison.run(plan, fake, QUIET);
        String md = SummaryWriter.summary(six, Comparison.results(six, plan), plan.size(), 0);
        assertThat(md).contains("| fast | 80% | 0.50 | 6 | faster |");
        assertThat(md).contains("| never | 80% | ∞ | 6 | slower |");
    }

    @Test
    void lossTargetsAreFractionsOfTheFirstConfigurationsInitialLossOnTheSameSeed(@TempDir Path out) throws Exception {
        Suite loss = new Suite(
                "loss",
                "train",
                List.of(1L, 2L, 3L),
                OptionalDouble.of(60),
                List.of(Target.accuracy(0.8), Target.lossFraction(0.5)),
                List.of("base"),
                SUITE.configurations());
        List<Comparison.PlannedRun> plan = Comparison.plan(loss, out, null);
        Comparison.run(plan, fake, QUIET);
        List<RunResult> results = Comparison.results(loss, plan);
        // the reference is base's 2.0 on every seed: fast reaches 1.0 at 50·seed s (against its own 3.0 it would
        // have reached 1.5 at 25·seed s); never stays above
        assertThat(results)
                .extracting(r -> r.timesToTargets()[1])
                .containsExactly(
                        100.0,
                        50.0,
                        Double.POSITIVE_INFINITY,
                        200.0,
                        100.0,
                        Double.POSITIVE_INFINITY,
                        300.0,
                        150.0,
                        Double.POSITIVE_INFINITY);
        String md = SummaryWriter.summary(loss, results, plan.size(), 0);
        assertThat(md).contains("time to loss 50% (reached)").contains("| fast | loss 50% | 0.50 | 3 |");
        SummaryWriter.writeCsv(out.resolve("runs.csv"), loss, results);
        assertThat(Files.readAllLines(out.resolve("runs.csv")).get(0))
                .endsWith(",time_to_0.8,time_to_loss_0.5,uploads_to_0.8,uploads_to_loss_0.5");
    }

    @Test
    void aMissingReportIsNotAResult(@TempDir Path out) throws IOException {
        assertThat(Comparison.results(SUITE, Comparison.plan(SUITE, out, null))).isEmpty();
    }
}
