package org.dl4jasync.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dl4jasync.testing.TinyNets;
import org.dl4jasync.trainer.AsyncTrainer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * DL4J's oneDNN helpers, installed where DL4J 1.0.0-M2.1 fails to: on the build's backend (nd4j-native's oneDNN
 * classifier) they are available, go on convolution and pooling layers only, compute the gradient DL4J's own code
 * computes (to float rounding), and every copy of the network the trainer makes has them.
 */
class NativeHelpersTest {
    private static final int SIDE = 10;
    private static final int CLASSES = 3;

    static MultiLayerConfiguration convConf() {
        return new NeuralNetConfiguration.Builder()
                .seed(5)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(new Nesterovs(0.05, 0.9))
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .nOut(4)
                        .activation(Activation.RELU)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nOut(8)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(CLASSES)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutionalFlat(SIDE, SIDE, 2))
                .build();
    }

    static MultiLayerNetwork convNet() {
        MultiLayerNetwork n = new MultiLayerNetwork(convConf());
        n.init();
        return n;
    }

    static ComputationGraph convGraph() {
        ComputationGraphConfiguration c = new NeuralNetConfiguration.Builder()
                .seed(5)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(new Nesterovs(0.05, 0.9))
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "conv",
                        new ConvolutionLayer.Builder(3, 3)
                                .nOut(4)
                                .activation(Activation.RELU)
                                .build(),
                        "in")
                .addLayer(
                        "pool",
                        new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                                .kernelSize(2, 2)
                                .stride(2, 2)
                                .build(),
                        "conv")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nOut(CLASSES)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "pool")
                .setOutputs("out")
                .setInputTypes(InputType.convolutionalFlat(SIDE, SIDE, 2))
                .build();
        ComputationGraph g = new ComputationGraph(c);
        g.init();
        return g;
    }

    static List<DataSet> batches(int n) {
        Nd4j.getRandom().setSeed(11);
        List<DataSet> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 8, SIDE * SIDE * 2);
            INDArray y = Nd4j.zeros(DataType.FLOAT, 8, CLASSES);
            for (int r = 0; r < 8; r++) {
                y.putScalar(r, (r + i) % CLASSES, 1f);
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }

    @Test
    void theBuildsBackendHasOneDnn() {
        assertThat(NativeHelpers.oneDnnAvailable())
                .as("nd4j-native's oneDNN build is the project's backend (pom: nd4j.native.classifier)")
                .isTrue();
    }

    @Test
    void convolutionAndPoolingLayersGetThemOthersDoNot() {
        MultiLayerNetwork net = convNet();
        assertThat(NativeHelpers.oneDnnLayers(net))
                .as("DL4J installs none itself")
                .isZero();
        assertThat(NativeHelpers.useOneDnn(net)).isEqualTo(2);
        assertThat(NativeHelpers.useOneDnn(net)).as("idempotent").isEqualTo(2);
        assertThat(NativeHelpers.oneDnnLayers(net)).isEqualTo(2);
        assertThat(NativeHelpers.useOneDnn(TinyNets.net(1)))
                .as("dense layers only")
                .isZero();
        assertThat(NativeHelpers.useOneDnn(convGraph()))
                .as("a ComputationGraph")
                .isEqualTo(2);
    }

    @Test
    void theGradientIsDl4jsOwnToFloatRounding() {
        MultiLayerNetwork plain = convNet();
        MultiLayerNetwork fast = convNet();
        NativeHelpers.useOneDnn(fast);
        DataSet b = batches(1).get(0);
        for (MultiLayerNetwork n : new MultiLayerNetwork[] {plain, fast}) {
            n.setInput(b.getFeatures());
            n.setLabels(b.getLabels());
            n.computeGradientAndScore();
        }
        assertThat(fast.score()).isCloseTo(plain.score(), within(1e-5));
        INDArray g0 = plain.getGradientsViewArray();
        INDArray g1 = fast.getGradientsViewArray();
        double scale = g0.amaxNumber().doubleValue();
        assertThat(scale).isPositive();
        assertThat(g1.sub(g0).amaxNumber().doubleValue() / scale)
                .as("max difference / max |g|")
                .isLessThan(1e-4);
    }

    @Test
    void replicasAndPrivateCopiesHaveTheHelpersTheirNetworkHas() {
        for (boolean withHelpers : new boolean[] {false, true}) {
            for (Model net : new Model[] {convNet(), convGraph()}) {
                if (withHelpers) {
                    NativeHelpers.useOneDnn(net);
                }
                int expected = withHelpers ? 2 : 0;
                TrainableModel m = TrainableModel.of(net);
                ModelReplica fixed = (ModelReplica) m.newReplica(net.params().dup());
                ModelReplica rebindable =
                        (ModelReplica) m.newRebindableReplica(net.params().dup());
                assertThat(NativeHelpers.oneDnnLayers(fixed.network()))
                        .as("replica")
                        .isEqualTo(expected);
                assertThat(NativeHelpers.oneDnnLayers(rebindable.network()))
                        .as("rebindable")
                        .isEqualTo(expected);
                assertThat(((NetworkModel<?>) m).over(net.params().dup()))
                        .satisfies(copy -> assertThat(NativeHelpers.oneDnnLayers(copy))
                                .as("evaluator's copy")
                                .isEqualTo(expected));
            }
        }
    }

    @Test
    void oneWorkerOnANetworkWithHelpersIsNetFitWithHelpersBitForBit() {
        MultiLayerNetwork expected = convNet();
        MultiLayerNetwork actual = convNet();
        NativeHelpers.useOneDnn(expected);
        NativeHelpers.useOneDnn(actual);
        List<DataSet> data = batches(6);
        expected.fit(iterator(data));
        try (AsyncTrainer t =
                new AsyncTrainer.Builder(actual).workers(1).shuffle(false).build()) {
            t.fit(iterator(data));
        }
        assertThat(java.util.Arrays.equals(
                        actual.params().toFloatVector(), expected.params().toFloatVector()))
                .as("parameters bit for bit")
                .isTrue();
        // the comparison tells: without the helpers the same training ends elsewhere in the last bits
        MultiLayerNetwork plain = convNet();
        plain.fit(iterator(data));
        assertThat(java.util.Arrays.equals(
                        plain.params().toFloatVector(), expected.params().toFloatVector()))
                .as("DL4J's own convolution rounds differently")
                .isFalse();
        assertThat(plain.params().sub(expected.params()).amaxNumber().doubleValue())
                .isLessThan(1e-3);
    }

    private static DataSetIterator iterator(List<DataSet> data) {
        return TinyNets.iterator(data);
    }
}
