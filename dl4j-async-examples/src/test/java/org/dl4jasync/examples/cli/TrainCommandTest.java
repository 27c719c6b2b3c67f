package org.dl4jasync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dl4jasync.metrics.TrainingReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code train} contract: exit codes, one-line errors, the JSON report's keys. */
class TrainCommandTest {
    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--workers 0|--workers: '0' is not allowed; expected an integer >= 1",
                "--batch 0|--batch: '0' is not allowed; expected an integer >= 1",
                "--lr 0|--lr: '0.0' is not allowed; expected a positive number",
                "--lr -0.5|--lr: '-0.5' is not allowed; expected a positive number",
                "--model resnet|--model: 'resnet' is not allowed; expected one of lenet, lenet-authors, mlp",
                "--store rcu|--store: 'rcu' is not allowed; expected one of hogwild, locked, leashed",
                "--persistence -1|--persistence: '-1' is not allowed; expected an integer >= 0 or 'unbounded'",
                "--target-accuracy 2|--target-accuracy: '2.0' is not allowed; expected a number in (0, 1]",
                "--eval-every 0|--eval-every: '0' is not allowed; expected an integer >= 1 (accepted steps) or a positive number of seconds followed by s (e.g. 0.25s)",
                "--eval-every 0s|--eval-every: '0s' is not allowed; expected an integer >= 1",
                "--eval-every 1.5|--eval-every: '1.5' is not allowed; expected an integer >= 1",
                "--eval-every xs|--eval-every: 'xs' is not allowed; expected an integer >= 1",
                "--workers many|Invalid value for option '--workers': 'many' is not an int",
                "--algorithm bounded --max-staleness -1|--max-staleness: '-1' is not allowed; expected an integer >= 0",
                "--algorithm async --max-staleness 4|--max-staleness: '4' is not allowed; expected no value unless --algorithm is bounded (it is async)",
                "--algorithm ssp --ssp-slack -2|--ssp-slack: '-2' is not allowed; expected an integer >= 0",
                "--algorithm kasync --kasync-k 0|--kasync-k: '0' is not allowed; expected an integer in [1, --workers] or 'all'",
                "--algorithm kasync --kasync-k some|--kasync-k: 'some' is not allowed; expected an integer in [1, --workers] or 'all'",
                "--algorithm kasync --workers 4 --kasync-k 5|--kasync-k: '5' is not allowed; expected an integer in [1, --workers (4)] or 'all'",
                "--algorithm sync --kasync-k all|--kasync-k: 'all' is not allowed; expected no value unless --algorithm is kasync (it is sync)",
                "--algorithm async --local-steps 4|--local-steps: '4' is not allowed; expected 1 unless --algorithm is kasync or abs (it is async)",
                "--algorithm abs --kasync-adaptive|--kasync-adaptive: 'true' is not allowed; expected no value unless --algorithm is kasync (it is abs)",
                "--algorithm abs --abs-c 0|--abs-c: '0.0' is not allowed; expected a positive number or 'inf'",
                "--algorithm abs --abs-c many|--abs-c: 'many' is not allowed; expected a positive number or 'inf'",
                "--algorithm abs --workers 4 --abs-k0 8|--abs-k0: '8' is not allowed; expected an integer in [1, --workers (4)]",
                "--algorithm sync --parallelism elastic|--parallelism: 'elastic' is not allowed; expected fixed with --algorithm sync",
                "--algorithm k-sync|--algorithm: 'k-sync' is not allowed; expected one of sequential, sync, async, interval, elastic, bounded, ssp, kasync, abs, netfit, parallelwrapper",
                "--on-non-finite ignore|--on-non-finite: 'ignore' is not allowed; expected one of fail, skip, stop",
                "--algorithm netfit --on-non-finite skip|--on-non-finite: 'skip' is not allowed; expected left out with --algorithm netfit (DL4J's loops apply every update; an evaluation sees divergence)",
                "--algorithm async --interval-y 16|--interval-y: '16' is not allowed; expected no value unless --algorithm is interval (it is async)",
                "--algorithm kasync --interval-y auto|--interval-y: 'auto' is not allowed; expected no value unless --algorithm is interval (it is kasync)",
                "--algorithm async --interval-policy decay|--interval-policy: 'decay' is not allowed; expected no value unless --algorithm is interval (it is async)",
                "--store hogwild --persistence 3|--persistence: '3' is not allowed; expected no value unless --store is leashed (it is hogwild)",
                "--algorithm async --elastic-dp 5|--elastic-dp: '5' is not allowed; expected no value unless the run is elastic (--algorithm elastic or --parallelism elastic)",
                "--algorithm interval --interval-policy decay --probe-window 2|--probe-window: '2' is not allowed; expected no value unless --interval-policy is probe (it is decay)",
                "--algorithm interval --y-min 2|--y-min: '2' is not allowed; expected no value unless --interval-policy is decay (it is fixed)",
                "--algorithm interval --interval-y 8 --interval-policy decay --y-min 9|--y-min: '9' is not allowed; expected at most --interval-y (8)",
                "--algorithm async --elastic-m0 2|--elastic-m0: '2' is not allowed; expected no value unless the run is elastic",
                "--step-size constant --tail-amplitude 0.5|--tail-amplitude: '0.5' is not allowed; expected no value unless --step-size is tail (it is constant)",
                "--tail-window 100|--tail-window: '100' is not allowed; expected no value unless the step size reads a staleness distribution",
                "--step-size inverse --tail-warmup 10|--tail-warmup: '10' is not allowed; expected no value unless the step size reads a staleness distribution",
                "--step-size tail --normalize|--normalize: 'true' is not allowed; expected no value unless --step-size is inverse or fleet (it is tail)",
                "--step-size tail --mts-eta 0.1|--mts-eta: '0.1' is not allowed; expected no value unless --step-size is mindthestep (it is tail)",
                "--step-size tail --tail-amplitude 2|--tail-amplitude: '2.0' is not allowed; expected a number in [0, 1]",
                "--step-size wobble|--step-size: 'wobble' is not allowed; expected one of constant, tail, inverse, fleet, mindthestep",
                "--workers 100000|100000 workers: at most 4096 on threads",
                "--time-limit NaN|--time-limit: 'NaN' is not allowed; expected a positive number of seconds",
                "--frobnicate|Unknown option: '--frobnicate'"
            })
    void badUsageIsOneLineAndExitStatus2(String args, String message) {
        int code = Main.run(("train " + args).split(" "));
        assertThat(code).isEqualTo(2);
        assertThat(console.err()).contains(message);
        assertThat(console.err().strip().lines()).hasSize(1);
    }

    /** The graph path from the command line: --model resnet-small is a ComputationGraph, trained and evaluated. */
    @Test
    void theResidualGraphTrainsFromTheCommandLine(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("g.json");
        int code = Main.run(
                "train",
                "--model",
                "resnet-small",
                "--workers",
                "2",
                "--store",
                "leashed",
                "--max-steps",
                "30",
                "--json",
                json.toString(),
                "--quiet");
        assertThat(code).as(console.err()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) TrainingReport.parse(Files.readString(json));
        assertThat(((Map<?, ?>) r.get("config")).get("model")).isEqualTo("resnet-small");
        assertThat(((Number) r.get("steps_accepted")).longValue()).isEqualTo(30);
        assertThat(((Number) r.get("final_accuracy")).doubleValue()).isBetween(0.0, 1.0);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--ui 0|--ui: '0' is not allowed; allowed: a TCP port in 1..65535",
                "--ui 9000 --algorithm netfit|--ui is for dl4j-async's trainer, not --algorithm netfit or parallelwrapper"
            })
    void badUiUsageIsOneLineAndExitStatus2(String args, String message) {
        int code = Main.run(("train " + args).split(" "));
        assertThat(code).isEqualTo(2);
        assertThat(console.err()).contains(message);
        assertThat(console.err().strip().lines()).hasSize(1);
    }

    @Test
    void intervalTrainingKeepsStalenessBelowYUnderRealThreads(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("i.json");
        int code = Main.run(
                "train",
                "--algorithm",
                "interval",
                "--interval-y",
                "4",
                "--workers",
                "8",
                "--model",
                "mlp",
                "--max-steps",
                "200",
                "--json",
                json.toString(),
                "--quiet");
        assertThat(code).as(console.err()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) TrainingReport.parse(Files.readString(json));
        assertThat(r.get("algorithm")).isEqualTo("interval");
        assertThat(((Number) ((Map<?, ?>) r.get("staleness")).get("max")).longValue())
                .isLessThanOrEqualTo(3);
        assertThat(((Number) r.get("intervals_completed")).longValue()).isEqualTo(200 / 4);
        assertThat(((Number) r.get("steps_accepted")).longValue()).isEqualTo(200);
    }

    @Test
    void elasticTrainingWithHeldOutLossAndAsynchronyNoiseUnderRealThreads(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("e.json");
        int code = Main.run(
                "train",
                "--algorithm",
                "elastic",
                "--workers",
                "6",
                "--model",
                "mlp",
                "--max-steps",
                "400",
                "--loss-monitor",
                "eval",
                "--measure-ain",
                "--elastic-dp",
                "4",
                "--elastic-ip",
                "20",
                "--baseline-workers",
                "6",
                "--step-size",
                "tail",
                "--json",
                json.toString(),
                "--quiet");
        assertThat(code).as(console.err()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) TrainingReport.parse(Files.readString(json));
        assertThat(r.get("algorithm")).isEqualTo("elastic");
        assertThat(((Number) r.get("steps_accepted")).longValue()).isEqualTo(400);
        List<?> trace = (List<?>) r.get("parallelism_trace");
        assertThat(((Number) ((List<?>) trace.get(0)).get(2)).intValue()).isEqualTo(3);
        for (Object p : trace) {
            assertThat(((Number) ((List<?>) p).get(2)).intValue()).isBetween(1, 6);
        }
        assertThat((List<?>) r.get("ain_trace")).isNotEmpty();
        assertThat(((Map<?, ?>) r.get("break_even")).get("seconds"))
                .as("never above 6 workers")
                .isEqualTo(0.0);
        assertThat(((Map<?, ?>) r.get("config")).get("held_out_examples")).isEqualTo(500);
        assertThat(((Map<?, ?>) r.get("step_scale")).get("policy").toString()).startsWith("tail");
    }

    @Test
    void theBoundedStalenessFamilyTrainsFromTheCommandLineAndReportsItsFields(@TempDir Path dir) throws Exception {
        String[][] runs = {
            {"bounded", "--max-staleness", "2"},
            {"ssp", "--ssp-slack", "1"},
            {"kasync", "--kasync-k", "2", "--kasync-adaptive"},
            {"abs", "--abs-k0", "2", "--abs-c", "4"}
        };
        for (String[] a : runs) {
            Path json = dir.resolve(a[0] + ".json");
            List<String> args = new java.util.ArrayList<>(List.of(
                    "train",
                    "--model",
                    "mlp",
                    "--workers",
                    "6",
                    "--max-steps",
                    "60",
                    "--json",
                    json.toString(),
                    "--quiet",
                    "--algorithm"));
            args.addAll(List.of(a));
            int code = Main.run(args.toArray(new String[0]));
            assertThat(code).as(console.err()).isZero();
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) TrainingReport.parse(Files.readString(json));
            assertThat(r.get("algorithm")).isEqualTo(a[0]);
            assertThat(((Number) r.get("steps_accepted")).longValue()).isEqualTo(60);
            Map<?, ?> config = (Map<?, ?>) r.get("config");
            long maxTau = ((Number) ((Map<?, ?>) r.get("staleness")).get("max")).longValue();
            switch (a[0]) {
                case "bounded":
                    assertThat(config.get("max_staleness")).isEqualTo(2);
                    assertThat(maxTau).isLessThanOrEqualTo(2);
                    assertThat(r).doesNotContainKeys("rounds", "clock_spread_max");
                    break;
                case "ssp":
                    assertThat(config.get("ssp_slack")).isEqualTo(1);
                    assertThat(((Number) r.get("clock_spread_max")).longValue()).isLessThanOrEqualTo(1);
                    break;
                case "kasync":
                    assertThat(r).containsKeys("rounds", "uploads", "k_trace").doesNotContainKey("s_trace");
                    assertThat(((Number) r.get("rounds")).longValue()).isEqualTo(60);
                    assertThat(config.get("kasync_adaptive")).isEqualTo(true);
                    break;
                default:
                    assertThat(r).containsKeys("rounds", "uploads", "restarts", "k_trace", "s_trace");
                    assertThat(config.get("abs_c")).isEqualTo(4.0);
            }
        }
    }

    @Test
    void resumingAnotherTrainingsCheckpointIsOneLineAndExitStatus2(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        int code = Main.run(
                "train",
                "--model",
                "mlp",
                "--workers",
                "2",
                "--max-steps",
                "20",
                "--checkpoint-dir",
                ckpt.toString(),
                "--quiet");
        assertThat(code).as(console.err()).isZero();
        code = Main.run(
                "train",
                "--model",
                "mlp",
                "--workers",
                "3",
                "--max-steps",
                "40",
                "--resume",
                ckpt.toString(),
                "--quiet");
        assertThat(code).isEqualTo(2);
        assertThat(console.err()).contains("was made with workers 2, this run has 3");
        assertThat(console.err().strip().lines()).hasSize(1);
        code = Main.run("simulate", "--workers", "2", "--checkpoint-dir", ckpt.toString(), "--quiet");
        assertThat(code).isEqualTo(2);
        assertThat(console.err()).contains("--checkpoint-dir").contains("none in a simulation");
    }

    @Test
    void aMissingDataDirectoryListsThePlacesSearched(@TempDir Path empty) {
        int code = Main.run("train", "--dataset", "fashion-mnist", "--data-dir", empty.toString());
        assertThat(code).isEqualTo(2);
        assertThat(console.err()).contains("Fashion-MNIST not found").contains(empty.toString());
        assertThat(console.err().strip().lines()).hasSize(1);
    }

    @Test
    void noCommandIsUsage() {
        assertThat(Main.run()).isEqualTo(2);
        assertThat(console.err()).contains("train");
    }

    @Test
    void writesTheJsonReportWithEveryContractKey(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("r.json");
        Path csv = dir.resolve("r.csv");
        int code = Main.run(
                "train",
                "--model",
                "mlp",
                "--workers",
                "2",
                "--max-steps",
                "120",
                "--eval-every",
                "60",
                "--json",
                json.toString(),
                "--csv",
                csv.toString(),
                "--quiet");
        assertThat(code).as(console.err()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) TrainingReport.parse(Files.readString(json));
        assertThat(r.keySet())
                .contains(
                        "config",
                        "algorithm",
                        "store",
                        "workers",
                        "steps_started",
                        "steps_accepted",
                        "steps_rejected",
                        "acceptance_rate",
                        "staleness",
                        "step_scale",
                        "wall_seconds",
                        "worker_seconds",
                        "steps_per_second",
                        "loss_trace",
                        "accuracy_trace",
                        "final_accuracy",
                        "time_to_target_seconds");
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) r.get("config");
        assertThat(config.keySet())
                .contains(
                        "dataset",
                        "data_dir",
                        "model",
                        "algorithm",
                        "store",
                        "persistence",
                        "workers",
                        "batch",
                        "lr",
                        "momentum",
                        "seed",
                        "epochs",
                        "max_steps",
                        "time_limit",
                        "target_accuracy",
                        "eval_every",
                        "json",
                        "csv",
                        "quiet");
        assertThat(config.get("persistence")).isEqualTo("unbounded");
        assertThat(((Number) r.get("steps_accepted")).longValue()).isEqualTo(120);
        assertThat(r.get("time_to_target_seconds")).isNull();
        @SuppressWarnings("unchecked")
        Map<String, Object> staleness = (Map<String, Object>) r.get("staleness");
        assertThat(staleness.keySet()).contains("histogram", "mean", "p50", "p99", "max");
        long histogramTotal = ((List<?>) staleness.get("histogram"))
                .stream()
                        .mapToLong(e -> ((Number) ((List<?>) e).get(1)).longValue())
                        .sum();
        assertThat(histogramTotal).isEqualTo(120);
        assertThat((List<?>) r.get("accuracy_trace")).hasSize(2); // at 60 and 120 steps
        assertThat(Files.readAllLines(csv).get(0)).isEqualTo("trace,seconds,accepted_steps,value");
        assertThat(console.out()).isEmpty(); // --quiet
    }

    @Test
    void heavyBallThePapersInitAndASharedStateFromTheCommandLine(@TempDir Path dir) throws Exception {
        for (String command : new String[] {"train", "simulate"}) {
            Path json = dir.resolve(command + ".json");
            int code = Main.run(
                    command,
                    "--model",
                    "mlp",
                    "--workers",
                    "2",
                    "--max-steps",
                    "40",
                    "--momentum-form",
                    "heavy-ball",
                    "--init",
                    "paper",
                    "--optimizer-state",
                    "shared",
                    "--json",
                    json.toString(),
                    "--quiet");
            assertThat(code).as(console.err()).isZero();
            @SuppressWarnings("unchecked")
            Map<String, Object> config = (Map<String, Object>)
                    ((Map<String, Object>) TrainingReport.parse(Files.readString(json))).get("config");
            assertThat(config)
                    .containsEntry("momentum_form", "heavy-ball")
                    .containsEntry("init", "paper")
                    .containsEntry("optimizer_state", "shared");
        }
        assertThat(Main.run("train", "--momentum-form", "polyak", "--quiet")).isEqualTo(2);
        assertThat(console.err()).contains("--momentum-form").contains("heavy-ball");
        assertThat(Main.run("train", "--optimizer-state", "global", "--quiet")).isEqualTo(2);
        assertThat(console.err()).contains("optimizer-state");
        assertThat(Main.run(
                        "train", "--algorithm", "netfit", "--optimizer-state", "shared", "--max-steps", "5", "--quiet"))
                .isEqualTo(2);
    }
}
