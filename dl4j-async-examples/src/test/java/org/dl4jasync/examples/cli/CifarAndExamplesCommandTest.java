package org.dl4jasync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dl4jasync.metrics.TrainingReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --dataset cifar10}, DL4J's loops as baselines, and {@code example}: on files the test writes. */
class CifarAndExamplesCommandTest {
    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    /** A tiny CIFAR-10 directory: two training files of 40 random images, a test file of 20. */
    static Path tinyCifar10(Path dir) throws IOException {
        Random r = new Random(1);
        for (String f : List.of("data_batch_1.bin", "data_batch_2.bin", "test_batch.bin")) {
            int n = f.startsWith("test") ? 20 : 40;
            byte[] b = new byte[n * 3073];
            r.nextBytes(b);
            for (int i = 0; i < n; i++) {
                b[i * 3073] = (byte) (i % 10);
            }
            Files.write(dir.resolve(f), b);
        }
        return dir;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> report(Path json) throws IOException {
        return (Map<String, Object>) TrainingReport.parse(Files.readString(json));
    }

    @Test
    void trainsLeNetOnCifarWithAndWithoutAugmentation(@TempDir Path dir) throws IOException {
        tinyCifar10(dir);
        for (String augment : List.of("", "--augment")) {
            Path json = dir.resolve("r" + augment + ".json");
            String[] args = ("train --dataset cifar10 --data-dir " + dir + " --workers 2 --max-steps 6 --quiet "
                            + augment + " --json " + json)
                    .split(" +");
            assertThat(Main.run(args)).as(console.err()).isZero();
            Map<String, Object> r = report(json);
            Map<?, ?> config = (Map<?, ?>) r.get("config");
            assertThat(config.get("dataset")).isEqualTo("cifar10");
            assertThat(config.get("augment")).isEqualTo(!augment.isEmpty());
            assertThat((String) config.get("data_source")).contains("CIFAR-10").contains("2 of 5 training files");
            assertThat(((Number) r.get("steps_accepted")).longValue()).isEqualTo(6);
        }
    }

    @Test
    void netFitIsABaselineWithTheSameReport(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("netfit.json");
        int code = Main.run(
                "train",
                "--algorithm",
                "netfit",
                "--model",
                "mlp",
                "--max-steps",
                "30",
                "--quiet",
                "--json",
                json.toString());
        assertThat(code).as(console.err()).isZero();
        Map<String, Object> r = report(json);
        assertThat(r.get("algorithm")).isEqualTo("netfit");
        assertThat(r.get("workers")).isEqualTo(1);
        assertThat(r.get("stop_reason")).isEqualTo("max_steps");
        assertThat(((Number) r.get("steps_accepted")).longValue())
                .as("exact, no prefetched batch trained after the " + "stop")
                .isEqualTo(30);
        assertThat((List<?>) r.get("accuracy_trace")).as("evaluated at the end").hasSize(1);
        assertThat(((Number) r.get("final_accuracy")).doubleValue()).isGreaterThan(0.3);

        // evaluated every 10 iterations, stopped at the first evaluation at or above the target
        Path every = dir.resolve("every.json");
        code = Main.run(
                "train",
                "--algorithm",
                "netfit",
                "--model",
                "mlp",
                "--eval-every",
                "10",
                "--target-accuracy",
                "0.5",
                "--lr",
                "0.05",
                "--quiet",
                "--json",
                every.toString());
        assertThat(code).as(console.err()).isZero();
        r = report(every);
        assertThat(r.get("stop_reason")).isEqualTo("target_accuracy");
        List<?> trace = (List<?>) r.get("accuracy_trace");
        assertThat(trace).isNotEmpty();
        for (int i = 0; i < trace.size(); i++) {
            assertThat(((Number) ((List<?>) trace.get(i)).get(1)).longValue()).isEqualTo(10L * (i + 1));
        }
        double last = ((Number) ((List<?>) trace.get(trace.size() - 1)).get(2)).doubleValue();
        assertThat(last).isGreaterThanOrEqualTo(0.5);
        assertThat(((Number) r.get("time_to_target_seconds")).doubleValue())
                .isEqualTo(((Number) ((List<?>) trace.get(trace.size() - 1)).get(0)).doubleValue());
    }

    @Test
    void netFitEvaluatesByTrainingTimeToo(@TempDir Path dir) throws IOException {
        // every iteration of training takes far more than a microsecond: each one crosses a boundary
        Path json = dir.resolve("timed.json");
        int code = Main.run(
                "train",
                "--algorithm",
                "netfit",
                "--model",
                "mlp",
                "--max-steps",
                "12",
                "--eval-every",
                "0.000001s",
                "--quiet",
                "--json",
                json.toString());
        assertThat(code).as(console.err()).isZero();
        Map<String, Object> r = report(json);
        List<?> trace = (List<?>) r.get("accuracy_trace");
        assertThat(trace).hasSize(12);
        for (int i = 0; i < trace.size(); i++) {
            assertThat(((Number) ((List<?>) trace.get(i)).get(1)).longValue()).isEqualTo(i + 1);
        }
        assertThat((String) ((Map<?, ?>) r.get("config")).get("evaluation")).startsWith("test set every 1.0E-6 s");
    }

    @Test
    void targetAccuracyStopsOurTrainerAtTheFirstEvaluationAboveIt(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("target.json");
        int code = Main.run(
                "train",
                "--model",
                "mlp",
                "--workers",
                "2",
                "--eval-every",
                "20",
                "--target-accuracy",
                "0.5",
                "--lr",
                "0.05",
                "--quiet",
                "--json",
                json.toString());
        assertThat(code).as(console.err()).isZero();
        Map<String, Object> r = report(json);
        assertThat(r.get("stop_reason")).isEqualTo("target_accuracy");
        assertThat(((Number) r.get("time_to_target_seconds")).doubleValue()).isPositive();
    }

    @Test
    void badCombinationsAreOneLineAndExitStatus2(@TempDir Path dir) {
        assertThat(Main.run("simulate", "--augment", "--model", "none", "--max-steps", "10"))
                .isEqualTo(2);
        assertThat(console.err()).contains("--augment is only for train");
        assertThat(Main.run("simulate", "--algorithm", "parallelwrapper", "--model", "none"))
                .isEqualTo(2);
        assertThat(console.err())
                .contains("--algorithm: 'parallelwrapper' is not allowed; expected one of "
                        + "sequential, sync, async, interval, elastic (DL4J's own loops run only in train)");
        assertThat(Main.run("train", "--dataset", "cifar10", "--data-dir", dir.toString()))
                .isEqualTo(2);
        assertThat(console.err()).contains("CIFAR-10 not found").contains(dir.toString());
        assertThat(console.err().strip().lines()).hasSize(3);
    }

    @Test
    void exampleRunsAnExampleWithItsOwnArguments(@TempDir Path dir) throws IOException {
        assertThat(Main.run("example", "nosuch")).isEqualTo(2);
        assertThat(console.err())
                .contains("'nosuch' is not an example; expected one of cifar10, "
                        + "parallelwrapper-migration, early-stopping");
        assertThat(Main.run("example", "cifar10", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(console.err()).contains("dl4j-async example cifar10: CIFAR-10 not found");
        assertThat(Main.run("example", "cifar10", "--epochs", "x")).isEqualTo(2);
        tinyCifar10(dir);
        int code = Main.run("example", "cifar10", "--data-dir", dir.toString(), "--epochs", "2", "--workers", "2");
        assertThat(code).as(console.err()).isZero();
        assertThat(console.out())
                .contains("epoch 1 done")
                .contains("epoch 2 done")
                .contains("final test accuracy")
                .contains("staleness of the applied updates");
    }

    @Test
    void theEarlyStoppingExampleEndsOnItsEpochCondition() {
        int code = Main.run("example", "early-stopping", "--max-epochs", "1", "--workers", "2");
        assertThat(code).as(console.err()).isZero();
        assertThat(console.out())
                .contains("termination reason:  EpochTerminationCondition")
                .contains("termination details: MaxEpochsTerminationCondition(1)")
                .contains("total epochs:        1")
                .contains("best epoch:          0")
                .contains("best model's test accuracy");
    }
}
