package org.dl4jasync.earlystopping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.termination.ScoreImprovementEpochTerminationCondition;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dl4jasync.testing.TinyGraphs;
import org.dl4jasync.testing.TinyNets;
import org.dl4jasync.trainer.AsyncTrainer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Early stopping of a {@link ComputationGraph} (what DL4J's {@code EarlyStoppingGraphTrainer} does for
 * {@code graph.fit}), with one input on a {@code DataSetIterator} and with two inputs on a
 * {@code MultiDataSetIterator}: the same epochs, scores, saved best model and optimizer state as for a
 * MultiLayerNetwork ({@link AsyncEarlyStoppingTrainerTest}).
 */
class GraphEarlyStoppingTest {
    private final List<DataSet> train = TinyNets.blobs(10, 8, 1);
    private final List<DataSet> validation = TinyNets.blobs(4, 16, 2);

    private static ComputationGraph graph(int inputs) {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.FLOAT)
                .updater(new Nesterovs(0.1, 0.5))
                .graphBuilder();
        List<String> hidden = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            b.addInputs("in" + i);
            b.addLayer(
                    "h" + i,
                    new DenseLayer.Builder()
                            .nIn(TinyNets.IN)
                            .nOut(8)
                            .activation(Activation.TANH)
                            .build(),
                    "in" + i);
            hidden.add("h" + i);
        }
        String last = hidden.get(0);
        if (inputs > 1) {
            b.addVertex("merge", new MergeVertex(), hidden.toArray(new String[0]));
            last = "merge";
        }
        b.addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nIn(8L * inputs)
                                .nOut(TinyNets.CLASSES)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        last)
                .setOutputs("out");
        ComputationGraph g = new ComputationGraph(b.build());
        g.init();
        return g;
    }

    /** Each batch twice over: the features as both inputs. */
    private static List<org.nd4j.linalg.dataset.api.MultiDataSet> twoInputs(List<DataSet> batches) {
        List<org.nd4j.linalg.dataset.api.MultiDataSet> out = new ArrayList<>();
        for (DataSet d : batches) {
            out.add(new MultiDataSet(
                    new INDArray[] {d.getFeatures(), d.getFeatures().dup()}, new INDArray[] {d.getLabels()}));
        }
        return out;
    }

    @Test
    void aGraphOnADataSetIteratorStopsAsTheNetworkDoes() {
        ComputationGraph g = graph(1);
        EarlyStoppingConfiguration<ComputationGraph> es = new EarlyStoppingConfiguration.Builder<ComputationGraph>()
                .scoreCalculator(new DataSetLossCalculator(TinyNets.iterator(validation), true))
                .modelSaver(new InMemoryModelSaver<>())
                .epochTerminationConditions(new MaxEpochsTerminationCondition(4))
                .build();
        EarlyStoppingResult<ComputationGraph> result;
        try (AsyncTrainer trainer = new AsyncTrainer.Builder(g).workers(2).build()) {
            result = new AsyncEarlyStoppingTrainer<>(es, trainer, TinyNets.iterator(train)).fit();
        }
        assertThat(result.getTerminationReason())
                .isEqualTo(EarlyStoppingResult.TerminationReason.EpochTerminationCondition);
        assertThat(result.getTotalEpochs()).isEqualTo(4);
        assertThat(result.getScoreVsEpoch()).containsOnlyKeys(0, 1, 2, 3);
        assertThat(g.getEpochCount()).isEqualTo(4);
        assertThat(g.getIterationCount()).isEqualTo(4 * train.size());
        assertThat(result.getScoreVsEpoch().get(3))
                .as("it learned")
                .isLessThan(result.getScoreVsEpoch().get(0));
        ComputationGraph best = result.getBestModel();
        assertThat(best).isNotNull().isNotSameAs(g);
        assertThat(result.getBestModelScore())
                .isEqualTo(result.getScoreVsEpoch().get(result.getBestModelEpoch()));
        assertThat(best.getUpdater().getStateViewArray().amaxNumber().doubleValue())
                .as("the best model is saved with its optimizer state")
                .isPositive();
    }

    @Test
    void aGraphWithTwoInputsTrainsOnAMultiDataSetIterator() {
        ComputationGraph g = graph(2);
        MultiDataSetIterator trainData = TinyGraphs.iterator(twoInputs(train));
        EarlyStoppingConfiguration<ComputationGraph> es = new EarlyStoppingConfiguration.Builder<ComputationGraph>()
                .scoreCalculator(new DataSetLossCalculator(TinyGraphs.iterator(twoInputs(validation)), true))
                .modelSaver(new InMemoryModelSaver<>())
                .epochTerminationConditions(
                        new MaxEpochsTerminationCondition(20), new ScoreImprovementEpochTerminationCondition(2))
                .build();
        EarlyStoppingResult<ComputationGraph> result;
        try (AsyncTrainer trainer = new AsyncTrainer.Builder(g).workers(2).build()) {
            result = new AsyncEarlyStoppingTrainer<>(es, trainer, trainData).fit();
        }
        assertThat(result.getTerminationReason())
                .isEqualTo(EarlyStoppingResult.TerminationReason.EpochTerminationCondition);
        assertThat(g.getEpochCount()).isEqualTo(result.getTotalEpochs());
        assertThat(g.getIterationCount()).isEqualTo(result.getTotalEpochs() * train.size());
        double first = result.getScoreVsEpoch().get(0);
        assertThat(result.getBestModelScore()).as("it learned").isLessThan(first);
        assertThat(result.getBestModel().getNumInputArrays()).isEqualTo(2);
    }
}
