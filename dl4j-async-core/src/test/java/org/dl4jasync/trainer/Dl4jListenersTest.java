package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.CheckpointListener;
import org.deeplearning4j.optimize.listeners.EvaluativeListener;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.deeplearning4j.optimize.api.InvocationType;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.testing.TinyNets;
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
        CheckpointListener checkpoints = new CheckpointListener.Builder(dir.toFile()).saveEveryNIterations(25)
                .keepAll().build();
        new AsyncTrainer.Builder(net).workers(2).store(kind)
                .listeners(new ScoreIterationListener(10), evaluative, checkpoints).build()
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
}
