package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dl4jasync.checkpoint.IncompatibleCheckpointException;
import org.dl4jasync.metrics.StopReason;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/**
 * What a resume accepts, as the README says: the stop conditions may differ (epochs and max steps among them), the
 * data may not (before: other data with as many batches, or the same data streamed instead of held in memory,
 * resumed silently; another epoch count was refused; a resume past the asked steps reported {@code epochs} with
 * more steps than asked).
 */
class ResumeCompatibilityTest {
    private static final List<DataSet> TRAIN = TinyNets.blobs(20, 8, 1);

    private static AsyncTrainer.Builder oneWorker(long seed) {
        return new AsyncTrainer.Builder(TinyNets.net(5)).workers(1).seed(seed);
    }

    @Test
    void otherDataWithAsManyBatchesIsRefused(@TempDir Path dir) {
        oneWorker(5).maxSteps(10).checkpointDir(dir).build().fit(TinyNets.iterator(TRAIN), 3);
        List<DataSet> other = TinyNets.blobs(20, 8, 99); // same count and sizes, other values
        assertThatThrownBy(() -> oneWorker(5).resume(dir).build().fit(TinyNets.iterator(other), 3))
                .isInstanceOf(IncompatibleCheckpointException.class)
                .hasMessageContaining("was made on other data");
        List<DataSet> reordered = new ArrayList<>(TRAIN);
        java.util.Collections.swap(reordered, 0, 1); // a different first batch
        assertThatThrownBy(() -> oneWorker(5).resume(dir).build().fit(TinyNets.iterator(reordered), 3))
                .hasMessageContaining("was made on other data");
        assertThat(oneWorker(5)
                        .resume(dir)
                        .build()
                        .fit(TinyNets.iterator(TRAIN), 3)
                        .stepsAccepted())
                .as("the same data resumes")
                .isEqualTo(60);
    }

    @Test
    void streamedDataCannotResumeAnInMemoryTraining(@TempDir Path dir) {
        oneWorker(5).maxSteps(10).checkpointDir(dir).build().fit(TinyNets.iterator(TRAIN), 3);
        assertThatThrownBy(() -> oneWorker(5)
                        .dataMode(AsyncTrainer.DataMode.PREFETCH)
                        .resume(dir)
                        .build()
                        .fit(TinyNets.iterator(TRAIN), 3))
                .isInstanceOf(IncompatibleCheckpointException.class)
                .hasMessageContaining("held in memory")
                .hasMessageContaining("streamed");
    }

    @Test
    void theEpochsMayDiffer(@TempDir Path dir) {
        oneWorker(5).maxSteps(30).checkpointDir(dir).build().fit(TinyNets.iterator(TRAIN), 3); // 1.5 epochs
        TrainingReport more = oneWorker(5).resume(dir).build().fit(TinyNets.iterator(TRAIN), 4);
        assertThat(more.stepsAccepted()).isEqualTo(80);
        assertThat(more.stopReason()).isEqualTo(StopReason.EPOCHS);
        assertThat(more.epochsCompleted()).isEqualTo(4);
    }

    @Test
    void resumingPastTheAskedStepsOrEpochsTrainsNothingAndSaysWhy(@TempDir Path dir) {
        oneWorker(5).maxSteps(50).checkpointDir(dir).build().fit(TinyNets.iterator(TRAIN), 5);
        TrainingReport fewerSteps =
                oneWorker(5).maxSteps(20).resume(dir).build().fit(TinyNets.iterator(TRAIN), 5);
        assertThat(fewerSteps.stopReason()).isEqualTo(StopReason.MAX_STEPS);
        assertThat(fewerSteps.stepsAccepted())
                .as("what the checkpoint had: nothing trained")
                .isEqualTo(50);
        TrainingReport fewerEpochs = oneWorker(5).resume(dir).build().fit(TinyNets.iterator(TRAIN), 2);
        assertThat(fewerEpochs.stopReason()).isEqualTo(StopReason.EPOCHS);
        assertThat(fewerEpochs.stepsAccepted()).isEqualTo(50);
    }

    /** Before: a hand-edited state ended in a ClassCastException's stack trace. */
    @Test
    void aHandEditedStateIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        oneWorker(5).maxSteps(10).checkpointDir(dir).build().fit(TinyNets.iterator(TRAIN), 3);
        Path file = org.dl4jasync.checkpoint.CheckpointDirectory.newest(dir, w -> {})
                .orElseThrow()
                .file;
        org.dl4jasync.checkpoint.CheckpointFile.Contents c = org.dl4jasync.checkpoint.CheckpointFile.read(file);
        java.util.Map<String, Object> state = new java.util.LinkedHashMap<>(c.state);
        state.put("accepted", "ten");
        org.dl4jasync.checkpoint.CheckpointFile.write(
                file,
                new org.dl4jasync.checkpoint.CheckpointFile.Contents(
                        c.modelConfiguration, c.params, c.updaterStates, c.modelUpdaterState, state));
        assertThatThrownBy(() -> oneWorker(5).resume(dir).build().fit(TinyNets.iterator(TRAIN), 3))
                .isInstanceOf(IncompatibleCheckpointException.class)
                .hasMessageContaining("cannot read");
    }

    /** Before: the message quoted whole layers' JSON (9.9 KB in one line). */
    @Test
    void anotherNetworksMessageIsShort(@TempDir Path dir) {
        oneWorker(5).maxSteps(10).checkpointDir(dir).build().fit(TinyNets.iterator(TRAIN), 3);
        assertThatThrownBy(() -> new AsyncTrainer.Builder(TinyNets.exploding())
                        .workers(1)
                        .seed(11)
                        .resume(dir)
                        .build()
                        .fit(TinyNets.iterator(TRAIN), 3))
                .isInstanceOf(IncompatibleCheckpointException.class)
                .hasMessageContaining("is of another network")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(500));
    }
}
