package org.dl4jasync.examples.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.dl4jasync.examples.data.FashionMnist;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.examples.models.Models;
import org.dl4jasync.trainer.AsyncTrainer;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Nesterovs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Migrating from ParallelWrapper: DL4J's canonical multi-worker LeNet client (its MultiGpuLenetMnistExample:
 * ParallelWrapper with workers, a prefetch buffer and an averaging frequency; {@code fit} per epoch; evaluation)
 * next to the same program with {@link AsyncTrainer}. Same network, data, batch size and epochs; each prints its
 * test accuracy and wall time. Fashion-MNIST (the sample embedded in the jar) stands in for MNIST.
 *
 * <pre>./dl4j-async example parallelwrapper-migration [--trainer both|parallelwrapper|async] [--epochs 2]</pre>
 *
 * The README's migration section maps every ParallelWrapper builder option to ours.
 */
@Command(
        name = "parallelwrapper-migration",
        mixinStandardHelpOptions = true,
        description = "DL4J's ParallelWrapper LeNet client and the same with AsyncTrainer: accuracy and wall time.")
public final class ParallelWrapperMigration implements Callable<Integer> {
    static final int BATCH = 64;

    /** Which trainer(s) to run. */
    enum Trainer {
        both,
        parallelwrapper,
        async
    }

    @Option(names = "--trainer", description = "both, parallelwrapper or async. Default: ${DEFAULT-VALUE}.")
    Trainer trainer = Trainer.both;

    @Option(names = "--epochs", description = "Passes over the training set. Default: ${DEFAULT-VALUE}.")
    int epochs = 2;

    @Option(names = "--workers", description = "Workers of either trainer. Default: ${DEFAULT-VALUE}.")
    int workers = 2;

    @Option(names = "--seed", description = "Seed of the initial weights. Default: ${DEFAULT-VALUE}.")
    long seed = 42;

    /** What a run printed: its test accuracy and its training time. */
    record Result(String trainer, double accuracy, double seconds) {}

    public static void main(String[] args) {
        System.exit(Examples.run(new ParallelWrapperMigration(), args));
    }

    @Override
    public Integer call() throws Exception {
        TrainTest data = FashionMnist.embedded();
        List<Result> results = new ArrayList<>();
        if (trainer != Trainer.async) {
            results.add(withParallelWrapper(data, epochs, workers, seed));
        }
        if (trainer != Trainer.parallelwrapper) {
            results.add(withAsyncTrainer(data, epochs, workers, seed));
        }
        for (Result r : results) {
            System.out.printf(
                    "%-16s test accuracy %.4f, %.1f s for %d epochs with %d workers%n",
                    r.trainer(), r.accuracy(), r.seconds(), epochs, workers);
        }
        return 0;
    }

    /** The network both programs train: LeNet-5, Nesterov momentum 0.9, learning rate 0.01 (as DL4J's example). */
    static MultiLayerNetwork lenet(TrainTest data, long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(Models.lenet(
                data.train.height,
                data.train.width,
                data.train.channels,
                data.train.classes,
                new Nesterovs(0.01, 0.9),
                seed));
        net.init();
        return net;
    }

    /** Before: DL4J's ParallelWrapper. */
    static Result withParallelWrapper(TrainTest data, int epochs, int workers, long seed) throws Exception {
        MultiLayerNetwork net = lenet(data, seed);
        DataSetIterator train = data.trainIterator(BATCH).build();
        long t0 = System.nanoTime();
        try (ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net)
                .workers(workers) // one replica per worker
                .prefetchBuffer(24) // batches read ahead, per worker
                .averagingFrequency(3) // replicas are averaged every 3 iterations (a barrier)
                .reportScoreAfterAveraging(true)
                .build()) {
            for (int e = 0; e < epochs; e++) {
                wrapper.fit(train); // one epoch
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Result(
                "ParallelWrapper", net.evaluate(data.testIterator(500)).accuracy(), seconds);
    }

    /** After: the same network and data with AsyncTrainer. */
    static Result withAsyncTrainer(TrainTest data, int epochs, int workers, long seed) {
        MultiLayerNetwork net = lenet(data, seed);
        DataSetIterator train = data.trainIterator(BATCH).build();
        long t0 = System.nanoTime();
        try (AsyncTrainer trainer = new AsyncTrainer.Builder(net)
                .workers(workers) // the same: one replica per worker
                .dataMode(AsyncTrainer.DataMode.PREFETCH)
                .prefetch(24) // prefetchBuffer: batches read ahead (default: all in memory)
                // averagingFrequency has no equivalent: every update goes to the shared parameters at once
                .seed(seed)
                .build()) {
            trainer.fit(train, epochs); // all epochs in one call (fit(train) per epoch works too)
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Result("AsyncTrainer", net.evaluate(data.testIterator(500)).accuracy(), seconds);
    }
}
