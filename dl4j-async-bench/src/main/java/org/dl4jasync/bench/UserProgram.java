package org.dl4jasync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.dl4jasync.config.OptimizerState;
import org.dl4jasync.examples.data.FashionMnist;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.examples.models.Models;
import org.dl4jasync.trainer.AsyncTrainer;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nadam;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A DL4J user's multi-worker LeNet program (DL4J's MultiGpuLenetMnistExample's shape: Nadam, batch 128,
 * {@code fit(iterator)} once per epoch, then evaluation) on Fashion-MNIST, as written for {@code net.fit}, for
 * ParallelWrapper and, ported with the README's migration table, for AsyncTrainer in each optimizer-state mode:
 * the same network, data, batch and number of examples for all. Prints one line per (trainer, seed): test accuracy,
 * training seconds (evaluation not included), and the minibatch loss at the last step of epoch 1 and the first of
 * epoch 2 (a restarted optimizer state shows as a jump there).
 *
 * <pre>bench/run UserProgram --seeds 1,2,3 --epochs 2 --train-examples 6000</pre>
 */
@Command(name = "UserProgram", mixinStandardHelpOptions = true,
        description = "A user's LeNet/Nadam program: net.fit, ParallelWrapper and AsyncTrainer per state mode.")
public final class UserProgram implements Callable<Integer> {
    @Option(names = "--trainers", split = ",", defaultValue = "netfit,parallelwrapper,per_worker,shared",
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
        System.out.printf(Locale.ROOT, "LeNet-5, Nadam (DL4J defaults), batch %d, %d x fit(iterator) of %d images, "
                + "%d workers, Fashion-MNIST%n", batch, epochs, data.train.count, workers);
        System.out.println("trainer          seed  accuracy  train_s  loss_end_epoch1  loss_start_epoch2");
        for (long seed : seeds) {
            for (String t : trainers) {
                run(t, data, seed);
            }
        }
        return 0;
    }

    private MultiLayerNetwork lenet(TrainTest data, long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(Models.lenet(data.train.height, data.train.width,
                data.train.channels, data.train.classes, new Nadam(), seed));
        net.init();
        return net;
    }

    private void run(String trainer, TrainTest data, long seed) throws Exception {
        MultiLayerNetwork net = lenet(data, seed);
        EpochEdges edges = new EpochEdges();
        DataSetIterator train = data.trainIterator(batch).build();
        int saved = Nd4j.getEnvironment().maxThreads();
        long t0;
        long nanos;
        switch (trainer) {
            case "netfit" -> {
                net.setListeners(edges);
                Nd4j.getEnvironment().setMaxThreads(Runtime.getRuntime().availableProcessors());
                t0 = System.nanoTime();
                for (int e = 0; e < epochs; e++) {
                    net.fit(train);
                }
                nanos = System.nanoTime() - t0;
            }
            case "parallelwrapper" -> {
                Nd4j.getEnvironment().setMaxThreads(1);
                t0 = System.nanoTime();
                try (ParallelWrapper w = new ParallelWrapper.Builder<>(net).workers(workers).prefetchBuffer(24)
                        .averagingFrequency(3).reportScoreAfterAveraging(true).build()) {
                    for (int e = 0; e < epochs; e++) {
                        w.fit(train);
                    }
                }
                nanos = System.nanoTime() - t0;
            }
            case "per_worker", "shared" -> {
                net.setListeners(edges);
                t0 = System.nanoTime();
                try (AsyncTrainer a = new AsyncTrainer.Builder(net).workers(workers).seed(seed)
                        .optimizerState(OptimizerState.valueOf(trainer.toUpperCase(Locale.ROOT))).build()) {
                    for (int e = 0; e < epochs; e++) {
                        a.fit(train);
                    }
                }
                nanos = System.nanoTime() - t0;
            }
            default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown trainer " + trainer);
        }
        Nd4j.getEnvironment().setMaxThreads(saved);
        double acc = net.evaluate(data.testIterator(500)).accuracy();
        System.out.printf(Locale.ROOT, "%-15s  %4d  %8.4f  %7.1f  %15.4f  %17.4f%n", trainer, seed, acc, nanos / 1e9,
                edges.lastOfEpoch.isEmpty() ? Double.NaN : edges.lastOfEpoch.get(0),
                edges.firstOfEpoch.size() < 2 ? Double.NaN : edges.firstOfEpoch.get(1));
    }
}
