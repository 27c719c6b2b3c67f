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

class SimulateCommandTest {
    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    @SuppressWarnings("unchecked")
    private Map<String, Object> simulate(Path json, String... args) throws Exception {
        String[] all = new String[args.length + 4];
        all[0] = "simulate";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--json";
        all[args.length + 2] = json.toString();
        all[args.length + 3] = "--quiet";
        int code = Main.run(all);
        assertThat(code).as(console.err()).isZero();
        return (Map<String, Object>) TrainingReport.parse(Files.readString(json));
    }

    @Test
    void sameSeedSameReportExceptWallTime(@TempDir Path dir) throws Exception {
        String[] args = {
            "--model",
            "none",
            "--workers",
            "256",
            "--max-steps",
            "100000",
            "--step-time",
            "lognormal:-4,0.5",
            "--seed",
            "3"
        };
        Map<String, Object> a = simulate(dir.resolve("a.json"), args);
        Map<String, Object> b = simulate(dir.resolve("b.json"), args);
        args[args.length - 1] = "4";
        Map<String, Object> c = simulate(dir.resolve("c.json"), args);
        for (Map<String, Object> r : List.of(a, b, c)) {
            assertThat(r.remove("wall_seconds")).isNotNull();
            ((Map<?, ?>) r.get("config")).remove("json"); // the output file names differ on purpose
        }
        c.remove("config");
        Map<String, Object> aWithoutConfig = new java.util.LinkedHashMap<>(a);
        aWithoutConfig.remove("config");
        assertThat(a).isEqualTo(b);
        assertThat(aWithoutConfig).isNotEqualTo(c);
        // the report has the keys of train, plus virtual time
        assertThat(a.keySet())
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
                        "worker_seconds",
                        "steps_per_second",
                        "loss_trace",
                        "accuracy_trace",
                        "final_accuracy",
                        "time_to_target_seconds",
                        "virtual_seconds");
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) a.get("config");
        assertThat(config.keySet())
                .contains("step_time", "apply_time", "poll_delay", "virtual_time_limit", "workers", "seed");
    }

    @Test
    void realModelSimulationsAreDeterministicToo(@TempDir Path dir) throws Exception {
        String[] args = {"--model", "mlp", "--workers", "8", "--max-steps", "150", "--eval-every", "50", "--seed", "9"};
        Map<String, Object> a = simulate(dir.resolve("a.json"), args);
        Map<String, Object> b = simulate(dir.resolve("b.json"), args);
        for (Map<String, Object> r : List.of(a, b)) {
            r.remove("wall_seconds");
            ((Map<?, ?>) r.get("config")).remove("json");
        }
        assertThat(a).isEqualTo(b);
        assertThat((List<?>) a.get("accuracy_trace")).hasSize(3);
    }

    @Test
    void evaluationByVirtualTimeGivesEveryAlgorithmTheSameResolution(@TempDir Path dir) throws Exception {
        // a sync round is one update of 8 gradients: by steps it would be evaluated 8 times less often than async
        for (String algorithm : List.of("sync", "async", "interval")) {
            Map<String, Object> r = simulate(
                    dir.resolve(algorithm + ".json"),
                    "--model",
                    "mlp",
                    "--workers",
                    "8",
                    "--algorithm",
                    algorithm,
                    "--step-time",
                    "constant:0.01",
                    "--virtual-time-limit",
                    "0.5",
                    "--eval-every",
                    "0.1s",
                    "--seed",
                    "3");
            List<?> trace = (List<?>) r.get("accuracy_trace");
            assertThat(trace).as(algorithm).hasSizeBetween(5, 6); // 0.1, 0.2, 0.3, 0.4 (+ 0.5), and the end
            for (int k = 0; k < 4; k++) { // the k-th evaluation: at the first update at or after (k + 1) * 0.1 s
                double t = ((Number) ((List<?>) trace.get(k)).get(0)).doubleValue();
                assertThat(t)
                        .as(algorithm + " evaluation " + k)
                        .isGreaterThanOrEqualTo((k + 1) * 0.1 - 1e-9)
                        .isLessThan((k + 1) * 0.1 + 0.05);
            }
            assertThat(((Map<?, ?>) r.get("config")).get("eval_every_seconds")).isEqualTo(0.1);
        }
    }

    @Test
    void an64WorkerMlpSimulationTrainsOnTheEmbeddedSample(@TempDir Path dir) throws Exception {
        Map<String, Object> r = simulate(
                dir.resolve("r.json"),
                "--model",
                "mlp",
                "--workers",
                "64",
                "--epochs",
                "1",
                "--step-time",
                "exp:0.01",
                "--seed",
                "1");
        List<?> trace = (List<?>) r.get("loss_trace");
        double first = ((Number) ((List<?>) trace.get(0)).get(2)).doubleValue();
        double last = ((Number) ((List<?>) trace.get(trace.size() - 1)).get(2)).doubleValue();
        assertThat(last).as("loss falls").isLessThan(0.7 * first);
        assertThat(((Number) r.get("steps_accepted")).longValue()).isEqualTo(500);
        assertThat(((Number) ((Map<?, ?>) r.get("staleness")).get("mean")).doubleValue())
                .isGreaterThan(30);
    }

    @Test
    void measuredStepTimesComeFromARealRunsReport(@TempDir Path dir) throws Exception {
        Path real = dir.resolve("real.json");
        assertThat(Main.run(
                        "train",
                        "--model",
                        "mlp",
                        "--workers",
                        "2",
                        "--max-steps",
                        "60",
                        "--json",
                        real.toString(),
                        "--quiet"))
                .isZero();
        Map<?, ?> realReport = TrainingReport.parse(Files.readString(real));
        assertThat((List<?>) realReport.get("step_time_samples")).hasSize(2);
        Map<String, Object> sim = simulate(
                dir.resolve("sim.json"),
                "--model",
                "none",
                "--workers",
                "8",
                "--max-steps",
                "1000",
                "--step-time",
                "measured:" + real);
        // 8 workers each taking ~one real MLP step (milliseconds): virtual throughput of thousands per second
        double perSecond = ((Number) sim.get("steps_per_second")).doubleValue();
        assertThat(perSecond).isBetween(100.0, 1_000_000.0);
    }

    @Test
    void intervalAsynchronyReportsItsTraceAndKeepsTheBound(@TempDir Path dir) throws Exception {
        Map<String, Object> r = simulate(
                dir.resolve("i.json"),
                "--algorithm",
                "interval",
                "--interval-y",
                "32",
                "--model",
                "none",
                "--workers",
                "128",
                "--step-time",
                "shifted-exp:0.9,0.1",
                "--max-steps",
                "20000");
        assertThat(r.get("algorithm")).isEqualTo("interval");
        assertThat(((Number) r.get("intervals_completed")).longValue()).isEqualTo(20000 / 32);
        assertThat((List<?>) r.get("interval_trace")).hasSize(20000 / 32 + 1);
        assertThat(((Number) ((Map<?, ?>) r.get("staleness")).get("max")).longValue())
                .isLessThanOrEqualTo(31);
        assertThat(((Number) r.get("acceptance_rate")).doubleValue()).isBetween(0.15, 0.25);
    }

    @Test
    void autoY0AndProbingRunAndReportTheChosenY0(@TempDir Path dir) throws Exception {
        Map<String, Object> r = simulate(
                dir.resolve("a.json"),
                "--algorithm",
                "interval",
                "--interval-y",
                "auto",
                "--interval-policy",
                "probe",
                "--probe-steps",
                "512",
                "--probe-exec",
                "2048",
                "--model",
                "none",
                "--workers",
                "64",
                "--step-time",
                "shifted-exp:0.9,0.1",
                "--max-steps",
                "30000");
        Map<?, ?> config = (Map<?, ?>) r.get("config");
        assertThat(config.get("interval_y")).isEqualTo("auto");
        // without a model there is no loss to judge by: every rate is 0, and the search keeps the smallest y (after
        // two candidates in a row no faster than it)
        assertThat(((Number) config.get("interval_y_chosen")).intValue()).isEqualTo(2);
        assertThat(config.get("interval_y_search")).isEqualTo("2,4,8");
        List<?> trace = (List<?>) r.get("interval_trace");
        assertThat(((Number) ((List<?>) trace.get(0)).get(1)).intValue())
                .as("the search starts at y = 2")
                .isEqualTo(2);
        long distinctY =
                trace.stream().map(e -> ((List<?>) e).get(1)).distinct().count();
        assertThat(distinctY).as("probing visits several candidates").isGreaterThan(3);
    }

    @Test
    void elasticParallelismReportsItsTraceWorkerSecondsAndBreakEven(@TempDir Path dir) throws Exception {
        Map<String, Object> r = simulate(
                dir.resolve("e.json"),
                "--algorithm",
                "elastic",
                "--model",
                "none",
                "--workers",
                "32",
                "--step-time",
                "shifted-exp:0.9,0.1",
                "--max-steps",
                "30000",
                "--baseline-workers",
                "32");
        assertThat(r.get("algorithm")).isEqualTo("elastic");
        List<?> trace = (List<?>) r.get("parallelism_trace");
        assertThat(trace).isNotEmpty();
        for (Object p : trace) {
            int m = ((Number) ((List<?>) p).get(2)).intValue();
            assertThat(m).isBetween(1, 32);
        }
        assertThat(((Number) ((List<?>) trace.get(0)).get(2)).intValue())
                .as("m0 = m̂/2")
                .isEqualTo(16);
        double virtual = ((Number) r.get("virtual_seconds")).doubleValue();
        double workerSeconds = ((Number) r.get("worker_seconds")).doubleValue();
        assertThat(workerSeconds).isLessThan(32 * virtual);
        Map<?, ?> breakEven = (Map<?, ?>) r.get("break_even");
        assertThat(((Number) breakEven.get("baseline_workers")).intValue()).isEqualTo(32);
        assertThat(breakEven.get("seconds"))
                .as("never above 32 workers: breaks even at once")
                .isEqualTo(0.0);
        assertThat(((Number) breakEven.get("elastic_worker_seconds")).doubleValue())
                .isCloseTo(workerSeconds, org.assertj.core.api.Assertions.within(0.05 * workerSeconds));
        assertThat(((Map<?, ?>) r.get("config")).get("parallelism")).isEqualTo("elastic");
    }

    @Test
    void elasticComposesWithIntervalAsynchrony(@TempDir Path dir) throws Exception {
        Map<String, Object> r = simulate(
                dir.resolve("ie.json"),
                "--algorithm",
                "interval",
                "--interval-y",
                "16",
                "--parallelism",
                "elastic",
                "--elastic-m0",
                "8",
                "--model",
                "none",
                "--workers",
                "32",
                "--step-time",
                "shifted-exp:0.9,0.1",
                "--max-steps",
                "20000");
        assertThat(r.get("algorithm")).isEqualTo("interval");
        assertThat((List<?>) r.get("interval_trace")).isNotEmpty();
        List<?> trace = (List<?>) r.get("parallelism_trace");
        assertThat(((Number) ((List<?>) trace.get(0)).get(2)).intValue()).isEqualTo(8);
        assertThat(((Number) ((Map<?, ?>) r.get("staleness")).get("max")).longValue())
                .isLessThanOrEqualTo(15);
    }

    @Test
    void asynchronyNoiseAndHeldOutLossOnARealModel(@TempDir Path dir) throws Exception {
        Map<String, Object> r = simulate(
                dir.resolve("a.json"),
                "--algorithm",
                "elastic",
                "--model",
                "mlp",
                "--workers",
                "8",
                "--max-steps",
                "600",
                "--measure-ain",
                "--loss-monitor",
                "eval",
                "--elastic-dp",
                "4",
                "--elastic-ip",
                "20");
        List<?> ain = (List<?>) r.get("ain_trace");
        assertThat(ain).isNotEmpty();
        for (Object p : ain) {
            assertThat(((Number) ((List<?>) p).get(2)).doubleValue()).isPositive();
        }
        Map<?, ?> config = (Map<?, ?>) r.get("config");
        assertThat(config.get("held_out_examples")).isEqualTo(500);
        assertThat(((Number) config.get("elastic_probing_phases")).longValue()).isPositive();
    }

    @Test
    void stepSizePoliciesReportTheirCurve(@TempDir Path dir) throws Exception {
        String[] base = {"--model", "none", "--workers", "32", "--step-time", "exp:1", "--max-steps", "20000"};
        for (String[] extra : new String[][] {
            {"--step-size", "tail", "--tail-phi", "smoothstep", "--tail-amplitude", "0.5"},
            {"--step-size", "inverse", "--normalize"},
            {"--step-size", "fleet"},
            {"--step-size", "mindthestep", "--mts-eta", "0.01", "--mts-lambda", "measured", "--tail-refresh", "200"}
        }) {
            String[] args = java.util.stream.Stream.concat(
                            java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
                    .toArray(String[]::new);
            Map<String, Object> r = simulate(dir.resolve(extra[1] + ".json"), args);
            @SuppressWarnings("unchecked")
            Map<String, Object> scale = (Map<String, Object>) r.get("step_scale");
            assertThat(r.get("step_size")).isEqualTo(extra[1]);
            assertThat(scale.keySet())
                    .contains("policy", "normalized", "mean", "min", "max", "zero_scaled", "by_staleness");
            List<?> curve = (List<?>) scale.get("by_staleness");
            assertThat(curve).hasSize(((List<?>) ((Map<?, ?>) r.get("staleness")).get("histogram")).size());
            boolean normalized = !"fleet".equals(extra[1]);
            assertThat(scale.get("normalized")).as(extra[1]).isEqualTo(normalized);
            double mean = ((Number) scale.get("mean")).doubleValue();
            if (normalized) {
                assertThat(mean).as(extra[1]).isBetween(0.97, 1.03);
            } else {
                assertThat(mean).as(extra[1]).isLessThan(0.5);
            }
            assertThat(((Map<?, ?>) r.get("config")).get("step_size")).isEqualTo(extra[1]);
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--algorithm interval --interval-policy slow|--interval-policy: 'slow' is not allowed; expected one of fixed, decay, probe",
                "--algorithm interval --interval-y big|--interval-y: 'big' is not allowed; expected an integer >= 1 or 'auto'",
                "--algorithm interval --interval-policy probe --probe-steps 0|--probe-steps: '0' is not allowed; expected an integer >= 1",
                "--algorithm interval --interval-y 0|--interval-y: '0' is not allowed; expected an integer >= 1",
                "--algorithm interval --interval-policy decay --interval-y 8 --y-min 16|--y-min: '16' is not allowed; expected at most --interval-y (8)",
                "--step-time gamma:1|--step-time: step time 'gamma:1': unknown kind 'gamma'",
                "--apply-time exp:-2|--apply-time: step time 'exp:-2': needs a positive time",
                "--model none --target-accuracy 0.5|--model: 'none' is not allowed",
                "--poll-delay 0|--poll-delay: '0.0' is not allowed",
                "--step-time measured:/nonexistent.json|cannot read /nonexistent.json",
                "--step-size tail2|--step-size: 'tail2' is not allowed; expected one of constant, tail, inverse, fleet, mindthestep",
                "--step-size tail --tail-amplitude 1.5|--tail-amplitude: '1.5' is not allowed; expected a number in [0, 1]",
                "--step-size tail --tail-phi cubic|--tail-phi: 'cubic' is not allowed; expected one of identity, smoothstep, step",
                "--step-size tail --tail-refresh 0|--tail-refresh: '0' is not allowed; expected 'frozen' or an integer >= 1",
                "--step-size tail --tail-warmup 0|--tail-warmup: '0' is not allowed; expected an integer >= 1",
                "--step-size mindthestep --mts-momentum -1|--mts-momentum: '-1.0' is not allowed; expected a number >= 0",
                "--step-size mindthestep --mts-eta 0|--mts-eta: '0.0' is not allowed; expected a positive number (the base learning rate)",
                "--model none --step-size mindthestep|--step-size: 'mindthestep' is not allowed; expected --mts-eta as well with --model none",
                "--step-size mindthestep --mts-form slip|--mts-form: 'slip' is not allowed; expected one of printed, rederived",
                "--step-size mindthestep --mts-lambda -3|--mts-lambda: '-3' is not allowed",
                "--algorithm sequential --step-size tail|--step-size: 'tail' is not allowed; expected constant with --algorithm sequential",
                "--algorithm sequential --parallelism elastic|--parallelism: 'elastic' is not allowed; expected fixed with --algorithm sequential",
                "--algorithm elastic --workers 8 --elastic-m0 9|--elastic-m0: '9' is not allowed; expected an integer in [1, --workers (8)]",
                "--algorithm elastic --elastic-wp 0|--elastic-wp: '0' is not allowed; expected an integer >= 1",
                "--baseline-workers 4|--baseline-workers: '4' is not allowed; expected no value unless the run is elastic",
                "--loss-monitor eval|--loss-monitor: 'eval' is not allowed; expected ema unless a controller reads the loss",
                "--loss-monitor search_eval|--loss-monitor: 'search_eval' is not allowed; expected ema unless a controller reads the loss",
                "--algorithm elastic --loss-monitor search_eval --model none|--loss-monitor: 'search_eval' is not allowed; expected ema without a network",
                "--algorithm elastic --elastic-search log --elastic-m0 4|--elastic-m0: '4' is not allowed; expected only with --elastic-search paper",
                "--algorithm elastic --elastic-search binary|--elastic-search: 'binary' is not allowed; expected one of paper, log",
                "--algorithm elastic --loss-monitor eval --model none|--loss-monitor: 'eval' is not allowed; expected ema without a network",
                "--measure-ain --model none|--measure-ain: 'true' is not allowed; expected false without a network",
                "--parallelism wide|--parallelism: 'wide' is not allowed; expected one of fixed, elastic"
            })
    void badUsageIsOneLineAndExitStatus2(String args, String message) {
        int code = Main.run(("simulate --max-steps 10 " + args).split(" "));
        assertThat(code).isEqualTo(2);
        assertThat(console.err()).contains(message);
        assertThat(console.err().strip().lines()).hasSize(1);
    }
}
