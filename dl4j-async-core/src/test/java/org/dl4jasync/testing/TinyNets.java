package org.dl4jasync.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Tiny networks and a learnable synthetic problem, so tests run in milliseconds. */
public final class TinyNets {
    public static final int IN = 4;
    public static final int CLASSES = 3;

    private TinyNets() {}

    public static MultiLayerConfiguration conf(long seed, boolean momentum) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(momentum ? new Nesterovs(0.1, 0.5) : new Sgd(0.1))
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(IN)
                        .nOut(8)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(8)
                        .nOut(CLASSES)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build();
    }

    /** A learning rate so large that the parameters overflow within a few steps (divergence tests). */
    public static MultiLayerNetwork exploding() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1)
                .updater(new Sgd(1e30))
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(IN)
                        .nOut(8)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(8)
                        .nOut(CLASSES)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
        net.init();
        return net;
    }

    public static MultiLayerNetwork net(long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf(seed, true));
        net.init();
        return net;
    }

    /**
     * {@code batches} batches of {@code batchSize} points: class c is a Gaussian blob around a corner, so a small
     * MLP reaches high accuracy quickly.
     */
    public static List<DataSet> blobs(int batches, int batchSize, long seed) {
        Random r = new Random(seed);
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            INDArray f = Nd4j.create(DataType.FLOAT, batchSize, IN);
            INDArray l = Nd4j.zeros(DataType.FLOAT, batchSize, CLASSES);
            for (int i = 0; i < batchSize; i++) {
                int c = r.nextInt(CLASSES);
                for (int j = 0; j < IN; j++) {
                    double centre = (j % CLASSES == c) ? 2.0 : -1.0;
                    f.putScalar(i, j, centre + 0.5 * r.nextGaussian());
                }
                l.putScalar(i, c, 1.0);
            }
            out.add(new DataSet(f, l));
        }
        return out;
    }

    public static DataSetIterator iterator(List<DataSet> batches) {
        return new ExistingDataSetIterator(batches);
    }
}
