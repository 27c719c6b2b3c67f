package org.dl4jasync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.dl4jasync.config.OptimizerState;
import org.dl4jasync.examples.data.FashionMnist;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.trainer.AsyncTrainer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A DL4J user's multi-worker LeNet program (DL4J's MultiGpuLenetMnistExample's network and shape, with Nadam: batch 128,
 * {@code fit(iterator)} once per epoch, then evaluation) on Fashion-MNIST, as written for {@code net.fit}, for
 * ParallelWrapper and, ported with the README's migration table, for AsyncTrainer in each optimizer-state mode:
 * the same network, data, batch and number of examples for all. Prints one line per (trainer, seed): test accuracy,
 * training seconds (evaluation not included), and the minibatch loss at the last step of epoch 1 and the first of
 * epoch 2 (a restarted optimizer state shows as a jump there).
 *
 * <pre>bench/run UserProgram --seeds 1,2,3 --epochs 2 --train-examples 6000 [--each-epoch]</pre>
 */
@Command(
        name = "UserProgram",
        mixinStandardHelpOptions = true,
        description = "A user's LeNet/Nadam program: net.fit, ParallelWrapper and AsyncTrainer per state mode.")
public final class UserProgram implements Callable<Integer> {
    @Option(
            names = "--trainers",
            split = ",",
            defaultValue = "netfit,parallelwrapper,per_worker,shared",
            description = "Which programs: netfit, parallelwrapper, per_worker, shared (AsyncTrainer's state modes).")
    List<String> trainers;

    @Option(names = "--seeds", split = ",", defaultValue = "1,2,3", description = "Seeds of the initial weights.")
    List<Long> seeds;

    @Option(names = "--epochs", defaultValue = "2", description = "fit calls, one epoch each.")
    int epochs;

    @Option(names = "--train-examples", defaultValue = "6000", description = "First N training images (of 60,000).")
    int trainExamples;

    @Option(names = "--batch", defaultValue = "128", description = "Minibatch size.")
    int batch;

    @Option(names = "--workers", defaultValue = "2", description = "Workers of ParallelWrapper and AsyncTrainer.")
    int workers;

    @Option(
            names = "--each-epoch",
            description = "Also the test accuracy after every epoch, with the training time "
                    + "so far (evaluation off the clock), at the end of the line.")
    boolean eachEpoch;

    public static void main(String[] args) {
        System.exit(new CommandLine(new UserProgram()).execute(args));
    }

    /** The loss of the last minibatch of each epoch and of the first of the next, as the network's listeners see it. */
    static final class EpochEdges extends BaseTrainingListener {
        final List<Double> lastOfEpoch = new ArrayList<>();
        final List<Double> firstOfEpoch = new ArrayList<>();
        private boolean first = true;
        private double last = Double.NaN;

        @Override
        public void onEpochStart(Model model) {
            first = true;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            double s = model.score();
            if (first) {
                firstOfEpoch.add(s);
                first = false;
            }
            last = s;
        }

        @Override
        public void onEpochEnd(Model model) {
            lastOfEpoch.add(last);
        }
    }

    @Override
    public Integer call() throws Exception {
        TrainTest all = FashionMnist.full(null);
        TrainTest data = all.withoutLastTraining(all.train.count - trainExamples);
        System.out.printf(
                Locale.ROOT,
                "DL4J's example LeNet, Nadam (DL4J defaults), batch %d, %d x fit(iterator) of %d images, "
                        + "%d workers, Fashion-MNIST%n",
                batch,
                epochs,
                data.train.count,
                workers);
        System.out.println("trainer          seed  accuracy  train_s  loss_end_epoch1  loss_start_epoch2");
        for (long seed : seeds) {
            for (String t : trainers) {
                run(t, data, seed);
            }
        }
        return 0;
    }

    /**
     * DL4J's example network (its LeNet: 20 and 50 5×5 convolutions with max pooling, a dense layer of 500, L2
     * 0.0005, Xavier), trained by Nadam with DL4J's defaults.
     */
    static MultiLayerNetwork lenet(TrainTest data, long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed)
                .l2(0.0005)
                .weightInit(WeightInit.XAVIER)
                .updater(new Nadam())
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5)
                        .nIn(data.train.channels)
                        .stride(1, 1)
                        .nOut(20)
                        .activation(Activation.IDENTITY)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(5, 5)
                        .stride(1, 1)
                        .nOut(50)
                        .activation(Activation.IDENTITY)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder()
                        .activation(Activation.RELU)
                        .nOut(500)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD)
                        .nOut(data.train.classes)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutionalFlat(data.train.height, data.train.width, data.train.channels))
                .build());
        net.init();
        return net;
    }

    /** One epoch of a program: {@code fit(iterator)} on its trainer. */
    private interface Epoch {
        void fit() throws Exception;
    }

    private void run(String trainer, TrainTest data, long seed) throws Exception {
        MultiLayerNetwork net = lenet(data, seed);
        EpochEdges edges = new EpochEdges();
        DataSetIterator train = data.trainIterator(batch).build();
        int saved = Nd4j.getEnvironment().maxThreads();
        AutoCloseable close = () -> {};
        Epoch epoch;
        switch (trainer) {
            case "netfit" -> {
                net.setListeners(edges);
                Nd4j.getEnvironment().setMaxThreads(Runtime.getRuntime().availableProcessors());
                epoch = () -> net.fit(train);
            }
            case "parallelwrapper" -> {
                Nd4j.getEnvironment().setMaxThreads(1);
                ParallelWrapper w = new ParallelWrapper.Builder<>(net)
                        .workers(workers)
                        .prefetchBuffer(24)
                        .averagingFrequency(3)
                        .reportScoreAfterAveraging(true)
                        .build();
                close = w;
                epoch = () -> w.fit(train);
            }
            case "per_worker", "shared" -> {
                net.setListeners(edges);
                AsyncTrainer a = new AsyncTrainer.Builder(net)
                        .workers(workers)
                        .seed(seed)
                        .optimizerState(OptimizerState.valueOf(trainer.toUpperCase(Locale.ROOT)))
                        .build();
                close = a;
                epoch = () -> a.fit(train);
            }
            default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown trainer " + trainer);
        }
        long nanos = 0;
        StringBuilder perEpoch = new StringBuilder();
        double acc = Double.NaN;
        try {
            for (int e = 0; e < epochs; e++) {
                long t0 = System.nanoTime();
                epoch.fit();
                nanos += System.nanoTime() - t0;
                if (eachEpoch || e == epochs - 1) { // evaluation off the clock
                    acc = net.evaluate(data.testIterator(500)).accuracy();
                    perEpoch.append(String.format(Locale.ROOT, "  %.4f@%.1fs", acc, nanos / 1e9));
                }
            }
        } finally {
            close.close();
            Nd4j.getEnvironment().setMaxThreads(saved);
        }
        System.out.printf(
                Locale.ROOT,
                "%-15s  %4d  %8.4f  %7.1f  %15.4f  %17.4f%s%n",
                trainer,
                seed,
                acc,
                nanos / 1e9,
                edges.lastOfEpoch.isEmpty() ? Double.NaN : edges.lastOfEpoch.get(0),
                edges.firstOfEpoch.size() < 2 ? Double.NaN : edges.firstOfEpoch.get(1),
                eachEpoch ? perEpoch : "");
    }
}
