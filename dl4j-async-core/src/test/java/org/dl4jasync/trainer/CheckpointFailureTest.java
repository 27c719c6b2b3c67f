package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dl4jasync.checkpoint.CheckpointDirectory;
import org.dl4jasync.checkpoint.CheckpointFile;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A checkpoint directory that cannot be written is refused before anything trains; a write that fails during the
 * run leaves no temporary file, and the report says how many failed, why, and that the final one is missing.
 * Before: warnings only, {@code written 0, failed 6}, exit 0, and a {@code .zip.tmp} left on a full disk.
 */
class CheckpointFailureTest {
    private final List<DataSet> data = TinyNets.blobs(30, 8, 3);

    @Test
    void aRegularFileAsTheDirectoryIsRefusedAtBuild(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> new AsyncTrainer.Builder(TinyNets.net(1))
                        .workers(2)
                        .checkpointDir(file)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a directory")
                .hasMessageContaining(file.toString());
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsRefusedWithItsReason(@TempDir Path tmp) throws IOException {
        Path blocker = Files.writeString(tmp.resolve("blocker"), "x");
        Path dir = blocker.resolve("checkpoints"); // under a regular file: cannot be created
        assertThatThrownBy(() -> CheckpointDirectory.checkWritable(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be written")
                .hasMessageContaining(dir.toString());
        Path proc = Path.of("/proc/dl4j-async-checkpoints");
        if (Files.isDirectory(Path.of("/proc"))) { // a read-only file system (Linux)
            assertThatThrownBy(() -> CheckpointDirectory.checkWritable(proc))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot be written");
        }
    }

    @Test
    void aWritableDirectoryPassesAndIsLeftEmpty(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("a/b/c");
        CheckpointDirectory.checkWritable(dir);
        assertThat(dir).isDirectory();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void aFailedWriteLeavesNoTemporaryFile(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("checkpoint-0000000001.zip");
        CheckpointFile.Contents broken =
                new CheckpointFile.Contents("{}", null, new org.nd4j.linalg.api.ndarray.INDArray[0], null, Map.of());
        assertThatThrownBy(() -> CheckpointFile.write(file, broken)).isInstanceOf(RuntimeException.class);
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s).as("neither the file nor its .tmp").isEmpty();
        }
        CheckpointFile.write(
                file,
                new CheckpointFile.Contents(
                        "{}", Nd4j.ones(3), new org.nd4j.linalg.api.ndarray.INDArray[0], null, Map.of()));
        assertThat(file).exists();
    }

    @Test
    void writesThatFailDuringTheRunAreInTheReportWithTheMissingFinalOne(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("ckpt");
        MultiLayerNetwork net = TinyNets.net(3);
        try (AsyncTrainer trainer = new AsyncTrainer.Builder(net)
                .workers(2)
                .checkpointDir(dir)
                .checkpointEvery(10)
                .build()) {
            trainer.addListeners(new BaseTrainingListener() {
                private int steps;

                @Override
                public void iterationDone(Model model, int iteration, int epoch) {
                    if (++steps == 25) { // the disk "fills": the directory becomes a regular file
                        try {
                            // moved aside in one step: the writer thread may be writing into it right now
                            awaitACheckpoint(dir);
                            Files.move(dir, tmp.resolve("aside"));
                            Files.writeString(dir, "full");
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            });
            TrainingReport r = trainer.fit(TinyNets.iterator(data), 2);
            Map<String, Object> c = r.checkpoints();
            assertThat(((Number) c.get("written")).longValue())
                    .as("before the disk filled")
                    .isPositive();
            assertThat(((Number) c.get("failed")).longValue()).isPositive();
            assertThat(c.get("final_written")).isEqualTo(false);
            assertThat((String) c.get("last_error")).isNotBlank();
            assertThat(Files.readString(dir)).isEqualTo("full");
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.filter(p -> p.getFileName().toString().endsWith(".tmp")))
                    .isEmpty();
        }
    }

    @Test
    void aRunWhoseCheckpointsAllSucceedSaysSo(@TempDir Path dir) {
        try (AsyncTrainer trainer = new AsyncTrainer.Builder(TinyNets.net(4))
                .workers(2)
                .checkpointDir(dir)
                .checkpointEvery(10)
                .build()) {
            Map<String, Object> c = trainer.fit(TinyNets.iterator(data), 1).checkpoints();
            assertThat(c.get("failed")).isEqualTo(0L);
            assertThat(c.get("final_written")).isEqualTo(true);
            assertThat(c.get("last_error")).isNull();
        }
    }

    /** Nothing lost on a full disk: the run resumes from its last written checkpoint to exactly the asked steps. */
    @Test
    void aRunWhoseLaterWritesFailedResumesToTheExactStepCount(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("ckpt");
        Path aside = tmp.resolve("aside");
        try (AsyncTrainer trainer = new AsyncTrainer.Builder(TinyNets.net(6))
                .workers(2)
                .maxSteps(50)
                .checkpointDir(dir)
                .checkpointEvery(10)
                .build()) {
            trainer.addListeners(new BaseTrainingListener() {
                private int steps;

                @Override
                public void iterationDone(Model model, int iteration, int epoch) {
                    if (++steps == 25) { // the disk fills: the directory moves aside, a file takes its place
                        try {
                            awaitACheckpoint(dir); // written by the writer thread, while training goes on
                            Files.move(dir, aside);
                            Files.writeString(dir, "full");
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            });
            TrainingReport r = trainer.fit(TinyNets.iterator(data), 5);
            assertThat(r.checkpoints().get("final_written")).isEqualTo(false);
        }
        Files.delete(dir); // space again: the checkpoints written before are back
        Files.move(aside, dir);
        try (AsyncTrainer resumed = new AsyncTrainer.Builder(TinyNets.net(6))
                .workers(2)
                .maxSteps(50)
                .resume(dir)
                .build()) {
            TrainingReport r = resumed.fit(TinyNets.iterator(data), 5);
            assertThat(r.stepsAccepted()).isEqualTo(50);
            assertThat(r.stopReason()).isEqualTo(org.dl4jasync.metrics.StopReason.MAX_STEPS);
        }
    }

    private static void awaitACheckpoint(Path dir) throws IOException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.anyMatch(p -> p.getFileName().toString().endsWith(".zip"))) {
                    return;
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
