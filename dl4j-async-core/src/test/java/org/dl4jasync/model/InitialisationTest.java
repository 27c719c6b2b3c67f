package org.dl4jasync.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.testing.TinyGraphs;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The papers' initialisation: every weight and bias from N(0, σ²), seeded; other parameters left alone. */
class InitialisationTest {

    private static MultiLayerNetwork net() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.FLOAT)
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(50)
                        .nOut(200)
                        .activation(Activation.RELU)
                        .build())
                .layer(new BatchNormalization.Builder().nOut(200).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(200)
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
        net.init();
        return net;
    }

    @Test
    void weightsAndBiasesAreNormalWithTheGivenDeviationAndSeeded() {
        MultiLayerNetwork a = net();
        INDArray batchNormBefore = a.getLayer(1).params().dup();
        Initialisation.normal(a, 0.01, 7);
        INDArray w = a.getLayer(0).getParam("W");
        assertThat(w.stdNumber().doubleValue()).isCloseTo(0.01, org.assertj.core.data.Offset.offset(0.0005));
        assertThat(w.meanNumber().doubleValue()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(0.0005));
        INDArray b = a.getLayer(0).getParam("b");
        assertThat(b.amaxNumber().doubleValue())
                .as("biases drawn too, not constant")
                .isPositive();
        assertThat(b.stdNumber().doubleValue()).isCloseTo(0.01, org.assertj.core.data.Offset.offset(0.003));
        assertThat(a.getLayer(1).params()).as("batch normalisation untouched").isEqualTo(batchNormBefore);

        MultiLayerNetwork again = net();
        Initialisation.normal(again, 0.01, 7);
        assertThat(again.params()).isEqualTo(a.params());
        MultiLayerNetwork other = net();
        Initialisation.normal(other, 0.01, 8);
        assertThat(other.params()).isNotEqualTo(a.params());
    }

    @Test
    void graphsToo() {
        var g = TinyGraphs.sameAsTinyNet(3);
        Initialisation.normal(g, 0.01, 1);
        for (Layer l : g.getLayers()) {
            for (Map.Entry<String, INDArray> e : l.paramTable().entrySet()) {
                assertThat(e.getValue().amaxNumber().doubleValue())
                        .as(e.getKey())
                        .isLessThan(0.1);
            }
        }
    }

    @Test
    void refusesANonPositiveDeviation() {
        assertThatThrownBy(() -> Initialisation.normal(net(), 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
