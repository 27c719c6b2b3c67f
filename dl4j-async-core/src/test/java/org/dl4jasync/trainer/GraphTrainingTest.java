package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.constraint.MaxNormConstraint;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.testing.TinyGraphs;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** ComputationGraphs train through the same trainer as MultiLayerNetworks: every store, both iterator types. */
class GraphTrainingTest {
    private static final int BATCHES = 25;
    private static final int EPOCHS = 4;
    private final List<DataSet> train = TinyNets.blobs(BATCHES, 8, 3);
    private final List<DataSet> test = TinyNets.blobs(10, 20, 4);

    @ParameterizedTest
    @EnumSource(ParameterStore.Kind.class)
    void aResidualGraphTrainsOnEveryStore(ParameterStore.Kind store) {
        ComputationGraph g = TinyGraphs.residual(7, 0);
        int before = g.getIterationCount();
        TrainingReport r = new AsyncTrainer.Builder(g)
                .workers(2)
                .store(store)
                .seed(1)
                .evaluation(TinyNets.iterator(test))
                .build()
                .fit(TinyNets.iterator(train), EPOCHS);
        // plain async: every step is applied, so the version count is exact
        assertThat(r.stepsAccepted()).isEqualTo((long) BATCHES * EPOCHS);
        assertThat(g.getIterationCount() - before).isEqualTo(BATCHES * EPOCHS);
        assertThat(g.getEpochCount()).isEqualTo(EPOCHS);
        assertThat(r.finalAccuracy()).as(store.toString()).isGreaterThan(0.8);
    }

    @ParameterizedTest
    @EnumSource(ParameterStore.Kind.class)
    void aTwoInputGraphTrainsFromAMultiDataSetIteratorOnEveryStore(ParameterStore.Kind store) {
        ComputationGraph g = TinyGraphs.twoInputs(7);
        List<MultiDataSet> multi = TinyGraphs.split(train);
        TrainingReport r = new AsyncTrainer.Builder(g)
                .workers(2)
                .store(store)
                .seed(1)
                .evaluation(TinyGraphs.iterator(TinyGraphs.split(test)))
                .build()
                .fit(TinyGraphs.iterator(multi), EPOCHS);
        assertThat(r.stepsAccepted()).isEqualTo((long) BATCHES * EPOCHS);
        assertThat(g.getIterationCount()).isEqualTo(BATCHES * EPOCHS);
        assertThat(r.finalAccuracy()).as(store.toString()).isGreaterThan(0.8);
    }

    @Test
    void aTwoInputGraphStreamsThroughThePrefetchingSource() {
        ComputationGraph g = TinyGraphs.twoInputs(7);
        TrainingReport r = new AsyncTrainer.Builder(g)
                .workers(2)
                .seed(1)
                .dataMode(AsyncTrainer.DataMode.PREFETCH)
                .build()
                .fit(TinyGraphs.iterator(TinyGraphs.split(train)), 2);
        assertThat(r.stepsAccepted()).isEqualTo(2L * BATCHES);
        assertThat(r.epochsCompleted()).isEqualTo(2);
    }

    /** With one worker there is no asynchrony: the graph of the MLN's layers must train exactly as the MLN. */
    @ParameterizedTest
    @EnumSource(ParameterStore.Kind.class)
    void aGraphOfTheSameLayersTrainsExactlyAsTheNetwork(ParameterStore.Kind store) {
        MultiLayerNetwork net = TinyNets.net(11);
        ComputationGraph g = TinyGraphs.sameAsTinyNet(11);
        g.params().assign(net.params());
        new AsyncTrainer.Builder(net).workers(1).store(store).seed(5).build().fit(TinyNets.iterator(train), 2);
        new AsyncTrainer.Builder(g).workers(1).store(store).seed(5).build().fit(TinyNets.iterator(train), 2);
        assertThat(g.params().sub(net.params()).amaxNumber().doubleValue()).isZero();
    }

    /**
     * L2 on the CAS-published store (refused before graphs came): each worker's updater computes the penalty on the
     * snapshot its replica is bound to. With one worker every store must give the same parameters, for a graph and
     * for a network; a penalty on any other buffer (the first one, a recycled one) would differ.
     */
    @Test
    void regularisedModelsTrainOnTheCasStoreAsOnTheOthers() {
        ComputationGraph hog = TinyGraphs.residual(7, 1e-2);
        ComputationGraph cas = TinyGraphs.residual(7, 1e-2);
        ComputationGraph plain = TinyGraphs.residual(7, 0);
        for (ComputationGraph g : new ComputationGraph[] {hog, cas, plain}) {
            new AsyncTrainer.Builder(g)
                    .workers(1)
                    .store(g == cas ? ParameterStore.Kind.LEASHED : ParameterStore.Kind.HOGWILD)
                    .seed(5)
                    .build()
                    .fit(TinyNets.iterator(train), 2);
        }
        assertThat(hog.params().sub(plain.params()).amaxNumber().doubleValue())
                .as("L2 acts")
                .isGreaterThan(1e-3);
        assertThat(cas.params().sub(hog.params()).amaxNumber().doubleValue()).isZero();

        MultiLayerNetwork netHog = l2Net();
        MultiLayerNetwork netCas = l2Net();
        new AsyncTrainer.Builder(netHog)
                .workers(1)
                .store(ParameterStore.Kind.HOGWILD)
                .seed(5)
                .build()
                .fit(TinyNets.iterator(train), 2);
        new AsyncTrainer.Builder(netCas)
                .workers(1)
                .store(ParameterStore.Kind.LEASHED)
                .seed(5)
                .build()
                .fit(TinyNets.iterator(train), 2);
        assertThat(netCas.params().sub(netHog.params()).amaxNumber().doubleValue())
                .isZero();
    }

    private static MultiLayerNetwork l2Net() {
        MultiLayerNetwork n = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(3)
                .l2(1e-2)
                .weightDecay(1e-3)
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
        n.init();
        return n;
    }

    @Test
    void aGraphRunsInTheSimulatorWithRealGradients() {
        ComputationGraph g = TinyGraphs.residual(7, 0);
        TrainingReport r = new Simulator.Builder(8, StepTimes.parse("exp:0.01", 8))
                .network(g, train)
                .epochs(3)
                .evaluation(TinyNets.iterator(test))
                .seed(2)
                .build()
                .run();
        assertThat(r.stepsAccepted()).isEqualTo(3L * BATCHES);
        assertThat(g.getIterationCount()).isEqualTo(3 * BATCHES);
        assertThat(r.finalAccuracy()).isGreaterThan(0.6);
    }

    /** Every algorithm and step-size rule of the checkpoint tests (with their stateful parts) on two workers. */
    @ParameterizedTest
    @EnumSource(CheckpointTest.Algo.class)
    void everyAlgorithmAndStepSizeRuleTrainsAGraph(CheckpointTest.Algo algo) {
        ComputationGraph g = TinyGraphs.residual(7, 0);
        TrainingReport r = algo.compose(new AsyncTrainer.Builder(g).workers(2).seed(1))
                .build()
                .fit(TinyNets.iterator(train), 2);
        assertThat(r.stepsAccepted()).isPositive();
        assertThat(g.getIterationCount()).isEqualTo((int) r.stepsAccepted());
        assertThat(g.getEpochCount()).isEqualTo(2);
        assertThat(g.params().isNaN().any()).isFalse();
    }

    /** A graph's checkpoint is DL4J's graph zip, and a resumed run ends as the uninterrupted one (one worker). */
    @Test
    void aGraphResumesFromItsCheckpointAsIfNeverInterrupted(@TempDir Path dir) throws Exception {
        ComputationGraph straight = TinyGraphs.residual(7, 1e-3);
        new AsyncTrainer.Builder(straight)
                .workers(1)
                .seed(11)
                .store(ParameterStore.Kind.LEASHED)
                .build()
                .fit(TinyNets.iterator(train), 3);
        ComputationGraph first = TinyGraphs.residual(7, 1e-3);
        new AsyncTrainer.Builder(first)
                .workers(1)
                .seed(11)
                .store(ParameterStore.Kind.LEASHED)
                .maxSteps(37)
                .checkpointDir(dir)
                .checkpointEvery(10)
                .build()
                .fit(TinyNets.iterator(train), 3);
        Path newest;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            newest = files.sorted().reduce((a, b) -> b).orElseThrow();
        }
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(newest.toFile(), true);
        assertThat(loaded.params()).isEqualTo(first.params());
        assertThat(loaded.getIterationCount()).isEqualTo(37);

        ComputationGraph resumed = TinyGraphs.residual(7, 1e-3);
        resumed.params().addi(1.0); // all parameters come from the checkpoint
        new AsyncTrainer.Builder(resumed)
                .workers(1)
                .seed(11)
                .store(ParameterStore.Kind.LEASHED)
                .resume(dir)
                .build()
                .fit(TinyNets.iterator(train), 3);
        assertThat(resumed.params()).isEqualTo(straight.params());
        assertThat(resumed.getIterationCount())
                .isEqualTo(straight.getIterationCount())
                .isEqualTo(3 * BATCHES);
        assertThat(resumed.getEpochCount()).isEqualTo(3);
    }

    @Test
    void aBatchWithTheWrongNumberOfInputsIsRefusedSayingSo() {
        ComputationGraph g = TinyGraphs.twoInputs(7);
        assertThatThrownBy(() -> new AsyncTrainer.Builder(g).workers(1).build().fit(TinyNets.iterator(train), 1))
                .isInstanceOf(TrainingFailedException.class)
                .rootCause()
                .hasMessageContaining("the graph has 2 inputs and 1 outputs, the batch 1 and 1");
        MultiLayerNetwork net = TinyNets.net(1);
        assertThatThrownBy(() -> new AsyncTrainer.Builder(net)
                        .workers(1)
                        .build()
                        .fit(TinyGraphs.iterator(TinyGraphs.split(train)), 1))
                .rootCause()
                .hasMessageContaining("a MultiLayerNetwork takes one input and one output");
    }

    @Test
    void parameterConstraintsAreRefusedForGraphsAsForNetworks() {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "d",
                        new DenseLayer.Builder()
                                .nIn(4)
                                .nOut(4)
                                .constrainWeights(new MaxNormConstraint(1, 1))
                                .build(),
                        "in")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nIn(4)
                                .nOut(3)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "d")
                .setOutputs("out")
                .build());
        g.init();
        assertThatThrownBy(() -> new AsyncTrainer.Builder(g))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer d has parameter constraints");
    }
}
