package org.dl4jasync.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.config.OptimizerState;
import org.dl4jasync.dispatch.DispatchSpec;
import org.dl4jasync.dispatch.IntervalSchedule;
import org.dl4jasync.dispatch.KAsyncPolicy;
import org.dl4jasync.dispatch.RoundBoard;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.model.TrainableModel;
import org.dl4jasync.testing.TinyNets;
import org.dl4jasync.trainer.AsyncTrainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Checkpoints of trainings on the cluster store: one worker makes the training deterministic, so an interrupted run
 * resumed on a fresh store (another name: a new training's maps) must equal the uninterrupted one exactly.
 */
class ClusterCheckpointTest {
    private static LocalCluster cluster;
    private static final List<DataSet> TRAIN = TinyNets.blobs(20, 8, 5);

    @BeforeAll
    static void start() {
        cluster = new LocalCluster(2);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static AsyncTrainer.Builder oneWorker(MultiLayerNetwork net, String store, OptimizerState state) {
        return new AsyncTrainer.Builder(net)
                .workers(1)
                .optimizerState(state)
                .store(ClusterStore.on(cluster.member(1)).withName(store).withShards(3))
                .seed(5);
    }

    @ParameterizedTest
    @EnumSource(OptimizerState.class)
    void anInterruptedAndResumedClusterTrainingEqualsTheUninterruptedOne(OptimizerState state, @TempDir Path dir) {
        String s = state.name().toLowerCase(java.util.Locale.ROOT);
        MultiLayerNetwork straight = TinyNets.net(5);
        TrainingReport whole =
                oneWorker(straight, "straight-" + s, state).build().fit(TinyNets.iterator(TRAIN), 3);

        MultiLayerNetwork first = TinyNets.net(5);
        oneWorker(first, "first-" + s, state)
                .maxSteps(27)
                .checkpointDir(dir)
                .checkpointEvery(10)
                .build()
                .fit(TinyNets.iterator(TRAIN), 3);
        MultiLayerNetwork resumed = TinyNets.net(5);
        resumed.params().addi(1.0); // other parameters: all come from the checkpoint
        TrainingReport rest = oneWorker(resumed, "resumed-" + s, state)
                .resume(dir)
                .checkpointDir(dir)
                .build()
                .fit(TinyNets.iterator(TRAIN), 3);

        assertThat(resumed.params()).isEqualTo(straight.params());
        assertThat(resumed.getUpdater().getStateViewArray())
                .as("the optimizer state too")
                .isEqualTo(straight.getUpdater().getStateViewArray());
        assertThat(rest.stepsAccepted()).isEqualTo(whole.stepsAccepted()).isEqualTo(60);
        assertThat(rest.staleness().histogram())
                .containsExactlyElementsOf(whole.staleness().histogram());
        assertThat(rest.config()).containsEntry("cluster_store", "resumed-" + s);
    }

    @Test
    void aResumedIntervalTrainingGoesOnInTheCheckpointsInterval(@TempDir Path dir) {
        DispatchSpec interval = DispatchSpec.Interval.of(3, new IntervalSchedule.Decay(1, 12, 2));
        new AsyncTrainer.Builder(TinyNets.net(6))
                .workers(2)
                .dispatch(interval)
                .store(ClusterStore.on(cluster.member(0)).withName("interval-first"))
                .maxSteps(30)
                .checkpointDir(dir)
                .seed(6)
                .build()
                .fit(TinyNets.iterator(TRAIN), 10);
        IntervalState saved = (IntervalState)
                cluster.member(1).getMap("interval-first.interval").get(0);
        assertThat(saved.y).as("the decay shrank y").isLessThan(3);
        TrainingReport rest = new AsyncTrainer.Builder(TinyNets.net(6))
                .workers(2)
                .dispatch(interval)
                .store(ClusterStore.on(cluster.member(0)).withName("interval-resumed"))
                .maxSteps(36)
                .resume(dir)
                .seed(6)
                .build()
                .fit(TinyNets.iterator(TRAIN), 10);
        IntervalState now = (IntervalState)
                cluster.member(1).getMap("interval-resumed.interval").get(0);
        assertThat(now.acceptedTotal)
                .as("the checkpoint's 30 and the resumed run's 6")
                .isEqualTo(36);
        assertThat(now.index).isGreaterThanOrEqualTo(saved.index);
        assertThat(now.trace.subList(0, saved.trace.size()))
                .as("the trace goes on from the checkpoint's")
                .containsExactlyElementsOf(saved.trace);
        assertThat(rest.stepsAccepted()).isEqualTo(36);
        assertThat(rest.staleness().max()).isLessThanOrEqualTo(2);
    }

    @Test
    void theFirstResumedPolicyIsTheRoundsUntilARoundIsEntered() {
        HazelcastStore store = new HazelcastStore(
                cluster.member(0),
                "rounds-restore",
                TrainableModel.of(TinyNets.net(3)),
                2,
                1,
                ClusterStore.DEFAULT_TIMEOUT);
        RoundBoard board = new HazelcastRounds(
                store, "rounds-restore", KAsyncPolicy.fixed(3, 4), 2, () -> {}, ClusterStore.DEFAULT_TIMEOUT);
        board.restore(KAsyncPolicy.fixed(2, 4));
        assertThat(board.policy().k()).isEqualTo(2);
        RoundBoard.Entry e = board.take(0, Double.NaN);
        assertThat(e.k()).isEqualTo(2);
        board.restore(KAsyncPolicy.fixed(4, 4));
        assertThat(board.policy().k())
                .as("a round was entered: the training's policy stays")
                .isEqualTo(2);
        board.ended();
    }
}
