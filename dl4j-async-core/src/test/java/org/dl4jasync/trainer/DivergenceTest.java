package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** A run whose parameters blow up ends with stop reason "diverged" instead of an exception. */
class DivergenceTest {
    private static final List<DataSet> TRAIN = TinyNets.blobs(20, 8, 1);
    private static final List<DataSet> TEST = TinyNets.blobs(4, 16, 2);

    /** A learning rate so large that the parameters overflow within a few steps. */
    private static MultiLayerNetwork exploding() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .updater(new Sgd(1e30)).list()
                .layer(new DenseLayer.Builder().nIn(TinyNets.IN).nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(TinyNets.CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    @Test
    void theTrainerStopsWithDiverged() {
        TrainingReport r = new AsyncTrainer.Builder(exploding()).workers(2)
                .evaluation(TinyNets.iterator(TEST), 10).build()
                .fit(TinyNets.iterator(TRAIN), 50);
        assertThat(r.stopReason).isEqualTo("diverged");
        assertThat(r.finalAccuracy).isNull();
        assertThat(r.toJson()).doesNotContain(": NaN").doesNotContain(", NaN ]"); // NaN only as the string "NaN"
    }

    @Test
    void theSimulatorStopsWithDiverged() {
        TrainingReport r = new Simulator.Builder(4, StepTimes.parse("exp:1", 4))
                .network(exploding(), TRAIN).evaluation(TinyNets.iterator(TEST), 10)
                .epochs(50).build().run();
        assertThat(r.stopReason).isEqualTo("diverged");
        assertThat(r.finalAccuracy).isNull();
    }
}
