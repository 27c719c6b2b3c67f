package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/** Iteration-based LR schedules follow the applied-update count, within a fit and across fit calls. */
class LearningRateScheduleTest {

    private static MultiLayerNetwork scheduled() {
        // lr 0.1 for iterations 0..29, then 0: after 30 applied updates training must have no effect
        MapSchedule schedule = new MapSchedule(ScheduleType.ITERATION, Map.of(0, 0.1, 30, 0.0));
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .updater(new Sgd(schedule))
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(TinyNets.IN)
                        .nOut(6)
                        .activation(Activation.TANH)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(6)
                        .nOut(TinyNets.CLASSES)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void scheduleStopsLearningAtIteration30AcrossFitCalls() {
        List<DataSet> train = TinyNets.blobs(20, 8, 4);
        MultiLayerNetwork net = scheduled();
        INDArray initial = net.params().dup();
        AsyncTrainer trainer =
                new AsyncTrainer.Builder(net).workers(1).maxSteps(30).build();
        trainer.fit(TinyNets.iterator(train), Integer.MAX_VALUE);
        assertThat(net.getIterationCount()).isEqualTo(30);
        INDArray after30 = net.params().dup();
        assertThat(after30).isNotEqualTo(initial);

        // a second fit continues at iteration 30, where the schedule gives lr 0 (maxSteps is per fit)
        trainer.fit(TinyNets.iterator(train), 2);
        assertThat(net.getIterationCount()).isEqualTo(30 + 30);
        assertThat(net.params().sub(after30).amaxNumber().doubleValue()).isZero();
    }
}
