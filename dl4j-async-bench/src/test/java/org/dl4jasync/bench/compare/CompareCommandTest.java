package org.dl4jasync.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dl4jasync.examples.cli.CapturedConsole;
import org.dl4jasync.examples.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code compare}: the suite is checked by the commands' own parsers, runs go to their own JVMs, resume. */
class CompareCommandTest {
    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    @Test
    void aBadOptionInASuiteIsOneLineNamingTheEntryAndExitStatus2(@TempDir Path dir) throws Exception {
        Path suite = dir.resolve("bad.yaml");
        Files.writeString(suite, "seeds: [1]\nconfigurations:\n  a: {algorithm: async, workers: 0}\n");
        assertThat(Main.run(
                        "compare",
                        "--suite",
                        suite.toString(),
                        "--out",
                        dir.resolve("o").toString()))
                .isEqualTo(2);
        assertThat(console.err().strip())
                .isEqualTo("dl4j-async compare: " + suite
                        + ": configurations.a: --workers: '0' is not allowed; expected an integer >= 1");
        Files.writeString(suite, "seeds: [1]\ncommand: simulate\nconfigurations:\n  a: {step-time: 'exp:-1'}\n");
        assertThat(Main.run(
                        "compare",
                        "--suite",
                        suite.toString(),
                        "--out",
                        dir.resolve("o").toString()))
                .isEqualTo(2);
        assertThat(console.err()).contains("configurations.a: --step-time:");
    }

    @Test
    void runsEachInItsOwnJvmWritesTheSummaryAndResumes(@TempDir Path dir) throws Exception {
        Path suite = dir.resolve("tiny.yaml");
        Files.writeString(
                suite,
                """
                name: tiny
                seeds: [1, 2]
                targets: [0.3]
                defaults: {model: mlp, max-steps: 40, eval-every: 20, workers: 2}
                configurations:
                  async: {algorithm: async}
                """);
        Path out = dir.resolve("out");
        assertThat(Main.run("compare", "--suite", suite.toString(), "--out", out.toString(), "--dry-run"))
                .isZero();
        assertThat(console.out())
                .contains("run   async seed 1: train --model mlp --max-steps 40")
                .contains("2 runs, 2 to run, estimated unknown");
        assertThat(Main.run("compare", "--suite", suite.toString(), "--out", out.toString()))
                .as(console.err())
                .isZero();
        assertThat(out.resolve("runs/async-seed1.json")).exists();
        assertThat(out.resolve("runs/async-seed2.json")).exists();
        assertThat(Files.readAllLines(out.resolve("runs.csv"))).hasSize(3);
        assertThat(Files.readString(out.resolve("summary.md")))
                .contains("# tiny")
                .contains("| async | 2 |");
        assertThat(out.resolve("accuracy-vs-time.png")).isNotEmptyFile();
        assertThat(out.resolve("loss-vs-time.png")).isNotEmptyFile();
        assertThat(Files.readString(out.resolve("report.html")))
                .contains("<h1>tiny</h1>")
                .contains("data:image/png;base64,");
        assertThat(Main.run("compare", "--suite", suite.toString(), "--out", out.toString()))
                .isEqualTo(2);
        assertThat(console.err()).contains("already holds 2 of the 2 reports; pass --resume");
        assertThat(Main.run(
                        "compare", "--suite", suite.toString(), "--out", out.toString(), "--resume", "--seeds", "1,2"))
                .isZero();
    }

    @Test
    void simulateSuitesMayRunSeveralAtATimeWithTheSameResultsTrainSuitesMayNot(@TempDir Path dir) throws Exception {
        Path suite = dir.resolve("sims.yaml");
        Files.writeString(
                suite,
                """
                name: sims
                command: simulate
                seeds: [1, 2]
                defaults: {model: none, max-steps: 3000, workers: 16}
                configurations:
                  async: {algorithm: async}
                  interval: {algorithm: interval, interval-y: 4}
                """);
        String jobs = String.valueOf(Math.min(2, Runtime.getRuntime().availableProcessors()));
        Path parallel = dir.resolve("parallel");
        Path serial = dir.resolve("serial");
        assertThat(Main.run("compare", "--suite", suite.toString(), "--out", parallel.toString(), "--jobs", jobs))
                .as(console.err())
                .isZero();
        assertThat(Main.run("compare", "--suite", suite.toString(), "--out", serial.toString()))
                .isZero();
        // virtual time: every column of runs.csv is the same however many ran at a time
        assertThat(Files.readAllLines(parallel.resolve("runs.csv")))
                .hasSize(5)
                .isEqualTo(Files.readAllLines(serial.resolve("runs.csv")));

        Path train = dir.resolve("train.yaml");
        Files.writeString(train, "seeds: [1]\nconfigurations: {a: {model: mlp, max-steps: 10}}\n");
        assertThat(Main.run(
                        "compare",
                        "--suite",
                        train.toString(),
                        "--out",
                        dir.resolve("t").toString(),
                        "--jobs",
                        "2"))
                .isEqualTo(2);
        assertThat(console.err()).contains("--jobs: '2' is not allowed; expected 1 for a train suite");
    }
}
