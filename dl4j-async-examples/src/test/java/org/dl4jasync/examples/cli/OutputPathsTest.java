package org.dl4jasync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file a run writes is checked before it trains: a report or checkpoint path that cannot be written is bad
 * usage (exit 2, one line naming the path and the reason), not a whole run lost at its end (before: exit 1 after
 * training for --json/--csv, exit 0 with warnings for --checkpoint-dir).
 */
class OutputPathsTest {
    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    private void assertRefusedBeforeTraining(int code, String... inMessage) {
        assertThat(code).as(console.err()).isEqualTo(2);
        assertThat(console.err().strip().lines()).hasSize(1);
        assertThat(console.err()).contains(inMessage);
        assertThat(console.out()).as("nothing trained").doesNotContain("stopped");
    }

    @Test
    void aJsonReportInADirectoryThatDoesNotExist(@TempDir Path tmp) {
        Path json = tmp.resolve("missing/report.json");
        assertRefusedBeforeTraining(
                Main.run("train", "--max-steps", "20", "--json", json.toString()),
                "--json",
                json.toString(),
                "does not exist");
    }

    @Test
    void aSimulationsJsonReportInADirectoryThatDoesNotExist(@TempDir Path tmp) {
        Path json = tmp.resolve("missing/report.json");
        assertRefusedBeforeTraining(
                Main.run("simulate", "--workers", "4", "--max-steps", "20", "--json", json.toString()),
                "--json",
                json.toString());
    }

    @Test
    void aCsvReportThatIsADirectory(@TempDir Path tmp) {
        assertRefusedBeforeTraining(
                Main.run("train", "--max-steps", "20", "--csv", tmp.toString()),
                "--csv",
                tmp.toString(),
                "is a directory");
    }

    @Test
    void aCheckpointDirectoryThatIsARegularFile(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertRefusedBeforeTraining(
                Main.run("train", "--max-steps", "20", "--checkpoint-dir", file.toString()),
                "checkpoint directory",
                file.toString(),
                "not a directory");
    }

    @Test
    void writablePathsAreLeftAsTheyWereUntilTheRunWritesThem(@TempDir Path tmp) throws Exception {
        Path json = tmp.resolve("r.json");
        Path csv = tmp.resolve("r.csv");
        Files.writeString(csv, "old");
        ReportFiles.checkWritable("--json", json);
        ReportFiles.checkWritable("--csv", csv);
        assertThat(json).doesNotExist();
        assertThat(csv).hasContent("old");
        int code =
                Main.run("train", "--max-steps", "20", "--json", json.toString(), "--csv", csv.toString(), "--quiet");
        assertThat(code).as(console.err()).isZero();
        assertThat(json).isNotEmptyFile();
        assertThat(Files.readString(csv)).startsWith("trace,");
    }
}
