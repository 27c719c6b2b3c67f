package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.InvocationType;
import org.deeplearning4j.optimize.listeners.CheckpointListener;
import org.deeplearning4j.optimize.listeners.EvaluativeListener;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

/** DL4J's stock listeners, given to the trainer, see the model as it trains. */
class Dl4jListenersTest {

    @ParameterizedTest
    @EnumSource(ParameterStore.Kind.class)
    void scoreEvaluativeAndCheckpointListenersWork(ParameterStore.Kind kind, @TempDir Path dir) throws Exception {
        List<DataSet> train = TinyNets.blobs(20, 16, 1);
        List<DataSet> test = TinyNets.blobs(5, 32, 2);
        MultiLayerNetwork net = TinyNets.net(2);
        List<Double> accuracies = new ArrayList<>();
        EvaluativeListener evaluative = new EvaluativeListener(TinyNets.iterator(test), 1, InvocationType.EPOCH_END);
        evaluative.setCallback((listener, model, invocationCount, evaluations) ->
                accuracies.add(((Evaluation) evaluations[0]).accuracy()));
        CheckpointListener checkpoints = new CheckpointListener.Builder(dir.toFile())
                .saveEveryNIterations(25)
                .keepAll()
                .build();
        new AsyncTrainer.Builder(net)
                .workers(2)
                .store(kind)
                .listeners(new ScoreIterationListener(10), evaluative, checkpoints)
                .build()
                .fit(TinyNets.iterator(train), 3);

        assertThat(accuracies).hasSize(3);
        assertThat(accuracies.get(2)).as("evaluated on the trained parameters").isGreaterThan(0.8);
        File[] saved = dir.toFile().listFiles((d, name) -> name.endsWith(".zip"));
        assertThat(saved).isNotNull().hasSizeGreaterThanOrEqualTo(2);
        // the last checkpoint is a real model that loads and predicts like the trained network
        MultiLayerNetwork restored = CheckpointListener.loadLastCheckpointMLN(dir.toFile());
        assertThat(restored.numParams()).isEqualTo(net.numParams());
        assertThat(restored.evaluate(TinyNets.iterator(test)).accuracy()).isGreaterThan(0.6);
    }

    /** Records the epoch and iteration counts each epoch event sees. */
    private static final class EpochCounts extends BaseTrainingListener {
        final List<String> seen = new ArrayList<>();

        @Override
        public void onEpochStart(Model model) {
            MultiLayerNetwork n = (MultiLayerNetwork) model;
            seen.add("start " + n.getEpochCount());
        }

        @Override
        public void onEpochEnd(Model model) {
            MultiLayerNetwork n = (MultiLayerNetwork) model;
            seen.add("end " + n.getEpochCount() + " at iteration " + n.getIterationCount());
        }
    }

    @Test
    void epochEventsSeeTheCountsNetFitShows() {
        List<DataSet> train = TinyNets.blobs(6, 8, 3);
        EpochCounts dl4j = new EpochCounts();
        MultiLayerNetwork reference = TinyNets.net(4);
        reference.setListeners(dl4j);
        reference.fit(TinyNets.iterator(train), 2);
        reference.fit(TinyNets.iterator(train));

        EpochCounts ours = new EpochCounts();
        MultiLayerNetwork net = TinyNets.net(4);
        try (AsyncTrainer trainer =
                new AsyncTrainer.Builder(net).workers(2).listeners(ours).build()) {
            trainer.fit(TinyNets.iterator(train), 2);
            trainer.fit(TinyNets.iterator(train));
        }
        assertThat(dl4j.seen)
                .as("what DL4J's own fit shows")
                .containsExactly(
                        "start 0",
                        "end 0 at iteration 6",
                        "start 1",
                        "end 1 at iteration 12",
                        "start 2",
                        "end 2 at iteration 18");
        assertThat(ours.seen).isEqualTo(dl4j.seen);
        assertThat(net.getEpochCount()).isEqualTo(reference.getEpochCount()).isEqualTo(3);
    }
}
