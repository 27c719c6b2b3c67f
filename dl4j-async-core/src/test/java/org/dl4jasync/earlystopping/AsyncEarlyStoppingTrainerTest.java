package org.dl4jasync.earlystopping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.listener.EarlyStoppingListener;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.termination.MaxScoreIterationTerminationCondition;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dl4jasync.testing.TinyNets;
import org.dl4jasync.trainer.AsyncTrainer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** DL4J's own early-stopping scenarios (its TestEarlyStopping) with the asynchronous trainer. */
class AsyncEarlyStoppingTrainerTest {
    private final List<DataSet> train = TinyNets.blobs(10, 8, 1);
    private final List<DataSet> validation = TinyNets.blobs(4, 16, 2);

    /** Records the listener calls. */
    private static final class Calls implements EarlyStoppingListener<MultiLayerNetwork> {
        int starts;
        final List<Integer> epochs = new ArrayList<>();
        final List<EarlyStoppingResult<MultiLayerNetwork>> completions = new ArrayList<>();

        @Override
        public void onStart(EarlyStoppingConfiguration<MultiLayerNetwork> c, MultiLayerNetwork net) {
            starts++;
        }

        @Override
        public void onEpoch(
                int epochNum, double score, EarlyStoppingConfiguration<MultiLayerNetwork> c, MultiLayerNetwork net) {
            epochs.add(epochNum);
        }

        @Override
        public void onCompletion(EarlyStoppingResult<MultiLayerNetwork> result) {
            completions.add(result);
        }
    }

    private EarlyStoppingConfiguration.Builder<MultiLayerNetwork> config() {
        return new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .scoreCalculator(new DataSetLossCalculator(TinyNets.iterator(validation), true))
                .modelSaver(new InMemoryModelSaver<>());
    }

    @Test
    void maxFiveEpochsScoredEveryTwoEndsAfterExactlyFiveEpochs() {
        MultiLayerNetwork net = TinyNets.net(1);
        EarlyStoppingConfiguration<MultiLayerNetwork> es = config().epochTerminationConditions(
                        new MaxEpochsTerminationCondition(5))
                .evaluateEveryNEpochs(2)
                .build();
        Calls calls = new Calls();
        EarlyStoppingResult<MultiLayerNetwork> result;
        try (AsyncTrainer trainer = new AsyncTrainer.Builder(net).workers(2).build()) {
            result = new AsyncEarlyStoppingTrainer<>(es, trainer, TinyNets.iterator(train), calls).fit();
        }
        assertThat(result.getTerminationReason())
                .isEqualTo(EarlyStoppingResult.TerminationReason.EpochTerminationCondition);
        assertThat(result.getTerminationDetails()).isEqualTo(new MaxEpochsTerminationCondition(5).toString());
        assertThat(result.getTotalEpochs()).isEqualTo(5);
        assertThat(result.getScoreVsEpoch()).containsOnlyKeys(0, 2, 4);
        assertThat(calls.epochs).containsExactly(0, 2, 4);
        assertThat(calls.starts).isEqualTo(1);
        assertThat(calls.completions).containsExactly(result);
        assertThat(net.getEpochCount()).as("five epochs trained").isEqualTo(5);
        assertThat(net.getIterationCount()).isEqualTo(5 * train.size());
        assertThat(result.getBestModel()).isNotNull().isNotSameAs(net);
        assertThat(result.getBestModelScore())
                .isEqualTo(result.getScoreVsEpoch().get(result.getBestModelEpoch()));
        assertThat(result.getScoreVsEpoch().get(4))
                .as("it learned")
                .isLessThan(result.getScoreVsEpoch().get(0));
        // the optimizer state survives the one-epoch fits and is saved with the best model (DL4J's saver copies
        // the network with its updater)
        assertThat(net.getUpdater().getStateViewArray().amaxNumber().doubleValue())
                .isPositive();
        assertThat(result.getBestModel()
                        .getUpdater()
                        .getStateViewArray()
                        .amaxNumber()
                        .doubleValue())
                .isPositive();
    }

    @Test
    void aHugeLearningRateEndsOnTheMaxScoreConditionWithTheBestModelSaved() {
        // as DL4J's testBadTuning: one batch per epoch, so epoch 0 is scored and saved before the loss explodes
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(12345)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(new Sgd(5.0)) // intentionally huge
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(TinyNets.IN)
                        .nOut(8)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(8)
                        .nOut(TinyNets.CLASSES)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
        net.init();
        DataSetIterator oneBatch = TinyNets.iterator(List.of(DataSet.merge(train)));
        EarlyStoppingConfiguration<MultiLayerNetwork> es = config().epochTerminationConditions(
                        new MaxEpochsTerminationCondition(5000))
                .iterationTerminationConditions(new MaxScoreIterationTerminationCondition(10))
                .build();
        EarlyStoppingResult<MultiLayerNetwork> result;
        try (AsyncTrainer trainer = new AsyncTrainer.Builder(net).workers(2).build()) {
            result = new AsyncEarlyStoppingTrainer<>(es, trainer, oneBatch).fit();
        }
        assertThat(result.getTerminationReason())
                .isEqualTo(EarlyStoppingResult.TerminationReason.IterationTerminationCondition);
        assertThat(result.getTerminationDetails()).isEqualTo(new MaxScoreIterationTerminationCondition(10).toString());
        assertThat(result.getTotalEpochs()).isLessThan(5);
        assertThat(result.getBestModelEpoch()).isEqualTo(0);
        assertThat(result.getBestModel()).isNotNull();
    }

    @Test
    void theTrainersOwnStopConditionsAreRefused() {
        MultiLayerNetwork net = TinyNets.net(2);
        EarlyStoppingConfiguration<MultiLayerNetwork> es = config().epochTerminationConditions(
                        new MaxEpochsTerminationCondition(2))
                .build();
        try (AsyncTrainer trainer = new AsyncTrainer.Builder(net).maxSteps(100).build()) {
            assertThatThrownBy(() -> new AsyncEarlyStoppingTrainer<>(es, trainer, TinyNets.iterator(train)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("stop conditions of its own")
                    .hasMessageContaining("termination conditions");
        }
        try (AsyncTrainer trainer = new AsyncTrainer.Builder(net).build()) {
            assertThatThrownBy(() -> new AsyncEarlyStoppingTrainer<>(es, trainer, TinyNets.iterator(train)).pretrain())
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("EarlyStoppingTrainer");
        }
    }

    @Test
    void anIterationConditionStopsTheEpochAfterTheStepsInFlightEvenBeforeAnyScore() {
        MultiLayerNetwork net = TinyNets.net(3);
        EarlyStoppingConfiguration<MultiLayerNetwork> es = config().epochTerminationConditions(
                        new MaxEpochsTerminationCondition(5))
                .iterationTerminationConditions(new MaxScoreIterationTerminationCondition(0.0)) // any loss > 0
                .build();
        Calls calls = new Calls();
        EarlyStoppingResult<MultiLayerNetwork> result;
        try (AsyncTrainer trainer = new AsyncTrainer.Builder(net).workers(2).build()) {
            result = new AsyncEarlyStoppingTrainer<>(es, trainer, TinyNets.iterator(train), calls).fit();
            assertThat(trainer.getListeners())
                    .as("the guard is removed afterwards")
                    .isEmpty();
        }
        assertThat(result.getTerminationReason())
                .isEqualTo(EarlyStoppingResult.TerminationReason.IterationTerminationCondition);
        assertThat(result.getTotalEpochs()).isZero();
        assertThat(net.getIterationCount())
                .as("the first update and the one in flight at most")
                .isBetween(1, 2);
        assertThat(result.getBestModel())
                .as("nothing was scored, so nothing saved")
                .isNull();
        assertThat(result.getBestModelEpoch()).isEqualTo(-1);
        assertThat(calls.completions).containsExactly(result);
        assertThat(calls.epochs).isEmpty();
    }

    @Test
    void aWorkerFailureEndsWithTheErrorReason() {
        MultiLayerNetwork net = TinyNets.net(4);
        List<DataSet> bad = new ArrayList<>(train);
        bad.add(new DataSet(
                org.nd4j.linalg.factory.Nd4j.ones(DataType.FLOAT, 8, TinyNets.IN + 1),
                org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 8, TinyNets.CLASSES))); // one column too many
        EarlyStoppingConfiguration<MultiLayerNetwork> es = config().epochTerminationConditions(
                        new MaxEpochsTerminationCondition(5))
                .build();
        Calls calls = new Calls();
        EarlyStoppingResult<MultiLayerNetwork> result;
        try (AsyncTrainer trainer = new AsyncTrainer.Builder(net).workers(2).build()) {
            result = new AsyncEarlyStoppingTrainer<>(es, trainer, TinyNets.iterator(bad), calls).fit();
        }
        assertThat(result.getTerminationReason()).isEqualTo(EarlyStoppingResult.TerminationReason.Error);
        assertThat(result.getTerminationDetails()).contains("TrainingFailedException");
        assertThat(result.getTotalEpochs()).isZero();
        assertThat(calls.completions)
                .as("DL4J's trainer does not call onCompletion on an error either")
                .isEmpty();
    }
}
