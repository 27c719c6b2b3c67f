package org.dl4jasync.examples.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dl4jasync.optimizer.HeavyBall;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The models of the papers, as DL4J configurations. */
public final class Models {
    private Models() {}

    /** The standard deviation of the seed papers' initialisation: every weight and bias from N(0, 0.01²). */
    public static final double PAPER_INIT_STD = 0.01;

    /** SGD with Nesterov momentum ({@link Nesterovs}), plain SGD when momentum is 0. */
    public static IUpdater sgd(double lr, double momentum) {
        return sgd(lr, momentum, false);
    }

    /**
     * SGD with momentum, plain SGD when momentum is 0: classical heavy-ball momentum
     * ({@link org.dl4jasync.optimizer.HeavyBall}, the papers') when {@code heavyBall}, else DL4J's Nesterov.
     */
    public static IUpdater sgd(double lr, double momentum, boolean heavyBall) {
        if (!(lr > 0)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
        }
        if (momentum < 0 || momentum >= 1) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (momentum == 0) {
            return new Sgd(lr);
        }
        return heavyBall ? new HeavyBall(lr, momentum) : new Nesterovs(lr, momentum);
    }

    /**
     * LeNet-5 as in the Interval-Asynchrony paper: conv 5×5×6 → max-pool 2×2 → conv 5×5×16 → max-pool 2×2 →
     * dense 120 → dense 84 → softmax. ReLU activations. For 28×28 inputs the first convolution pads by 2 (classic
     * LeNet on MNIST), so both 28×28×1 and 32×32×3 inputs reach the dense layers as 5×5×16.
     */
    public static MultiLayerConfiguration lenet(
            int height, int width, int channels, int classes, IUpdater updater, long seed) {
        int pad = height == 28 && width == 28 ? 2 : 0;
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(updater)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5)
                        .nOut(6)
                        .padding(pad, pad)
                        .activation(Activation.RELU)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(5, 5)
                        .nOut(16)
                        .activation(Activation.RELU)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nOut(120)
                        .activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nOut(84)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(classes)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutionalFlat(height, width, channels))
                .build();
    }

    /**
     * LeNet-5 as the Interval-Asynchrony paper's code builds it (MiniDNN, {@code main.cpp}): conv 5×5×6 → max-pool
     * 2×2 → conv 5×5×16 → max-pool 2×2 → dense 120 → softmax; one dense hidden layer where {@link #lenet} (the
     * paper's text) has two (120 and 84). ReLU activations; padding as {@link #lenet}.
     */
    public static MultiLayerConfiguration lenetAuthors(
            int height, int width, int channels, int classes, IUpdater updater, long seed) {
        int pad = height == 28 && width == 28 ? 2 : 0;
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(updater)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5)
                        .nOut(6)
                        .padding(pad, pad)
                        .activation(Activation.RELU)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(5, 5)
                        .nOut(16)
                        .activation(Activation.RELU)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nOut(120)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(classes)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutionalFlat(height, width, channels))
                .build();
    }

    /** The TAIL-τ paper's MLP: three hidden layers of 128 ReLU units, softmax output. */
    public static MultiLayerConfiguration mlp(int inputs, int classes, IUpdater updater, long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(updater)
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(inputs)
                        .nOut(128)
                        .activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nOut(128)
                        .activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nOut(128)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(classes)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.feedForward(inputs))
                .build();
    }

    /**
     * A small residual network (a {@code ComputationGraph}) for 28×28×1 or 32×32×3 images, in the style of He et al.'s
     * CIFAR ResNets but shallow enough for a 2-core machine: a 3×3 convolution of 16 channels, one residual block at
     * 16 channels, 2×2 max-pooling, a 1×1 projection to 32 channels and one residual block at 32, global average
     * pooling and a softmax output. A residual block is two 3×3 convolutions (ReLU after the first) whose output is
     * added to the block's input, then ReLU. No batch normalisation (its running statistics are parameters that
     * workers would overwrite rather than update). About 24 k parameters at 10 classes.
     */
    public static ComputationGraphConfiguration resnetSmall(
            int height, int width, int channels, int classes, IUpdater updater, long seed) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.RELU)
                .updater(updater)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutionalFlat(height, width, channels))
                .addLayer(
                        "stem",
                        new ConvolutionLayer.Builder(3, 3)
                                .nOut(16)
                                .activation(Activation.RELU)
                                .build(),
                        "in");
        String x = residualBlock(g, "res1", "stem", 16);
        g.addLayer(
                "pool",
                new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build(),
                x);
        g.addLayer(
                "project",
                new ConvolutionLayer.Builder(1, 1)
                        .nOut(32)
                        .activation(Activation.IDENTITY)
                        .build(),
                "pool");
        x = residualBlock(g, "res2", "project", 32);
        return g.addLayer("gap", new GlobalPoolingLayer(PoolingType.AVG), x)
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nOut(classes)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "gap")
                .setOutputs("out")
                .build();
    }

    /** Two 3×3 convolutions of {@code width} channels plus the skip from {@code input}, then ReLU; its output's name. */
    private static String residualBlock(
            ComputationGraphConfiguration.GraphBuilder g, String name, String input, int width) {
        g.addLayer(
                        name + "_a",
                        new ConvolutionLayer.Builder(3, 3)
                                .nOut(width)
                                .activation(Activation.RELU)
                                .build(),
                        input)
                .addLayer(
                        name + "_b",
                        new ConvolutionLayer.Builder(3, 3)
                                .nOut(width)
                                .activation(Activation.IDENTITY)
                                .build(),
                        name + "_a")
                .addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), input, name + "_b")
                .addLayer(name, new ActivationLayer(Activation.RELU), name + "_add");
        return name;
    }
}
