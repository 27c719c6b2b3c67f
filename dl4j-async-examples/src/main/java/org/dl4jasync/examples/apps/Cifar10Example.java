package org.dl4jasync.examples.apps;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dl4jasync.dispatch.DispatchSpec;
import org.dl4jasync.dispatch.IntervalSchedule;
import org.dl4jasync.examples.data.Cifar;
import org.dl4jasync.examples.data.ImageIterator;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.examples.models.Models;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.optimizer.HeavyBall;
import org.dl4jasync.stepsize.StepSizeSpec;
import org.dl4jasync.trainer.AsyncTrainer;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * CIFAR-10 in the setting of the Interval-Asynchrony paper: LeNet-5, SGD with heavy-ball momentum 0.5 (the
 * authors' SGDM), learning rate 0.005,
 * minibatches of 16, trained by asynchronous workers under Interval-Asynchrony (intervals of y accepted updates,
 * y starting at 64 and decaying) with the TAIL-τ staleness-adaptive step size. Prints the test accuracy after
 * every epoch and the run's report at the end. {@code --cifar100} trains CIFAR-100 (fine labels) the same way.
 *
 * <pre>./dl4j-async example cifar10 [--epochs 10] [--workers 2] [--data-dir DIR] [--augment] [--cifar100]</pre>
 */
@Command(
        name = "cifar10",
        mixinStandardHelpOptions = true,
        description = "LeNet-5 on CIFAR-10 (or CIFAR-100) with Interval-Asynchrony (y0 = 64, decay) and TAIL-τ.")
public final class Cifar10Example implements Callable<Integer> {
    @Option(names = "--epochs", description = "Passes over the training set. Default: ${DEFAULT-VALUE}.")
    int epochs = 10;

    @Option(names = "--workers", description = "Asynchronous workers. Default: the number of cores.")
    int workers = Runtime.getRuntime().availableProcessors();

    @Option(names = "--data-dir", description = "Directory with the binary files (default: the usual places).")
    Path dataDir;

    @Option(names = "--augment", description = "Random crops (4-pixel padding) and horizontal flips.")
    boolean augment;

    @Option(names = "--cifar100", description = "CIFAR-100 (fine labels) instead of CIFAR-10.")
    boolean cifar100;

    @Option(names = "--seed", description = "Seed of weights, data order and augmentation. Default: ${DEFAULT-VALUE}.")
    long seed = 42;

    public static void main(String[] args) {
        System.exit(Examples.run(new Cifar10Example(), args));
    }

    @Override
    public Integer call() throws Exception {
        // 1. The data: the binary CIFAR files, standardised per colour channel with the training set's statistics.
        Cifar.Variant variant = cifar100 ? Cifar.Variant.CIFAR100 : Cifar.Variant.CIFAR10;
        TrainTest data = Cifar.load(variant, dataDir).standardizedPerChannel();
        ImageIterator.Builder trainBuilder = data.trainIterator(16);
        if (augment) {
            trainBuilder.shuffle(seed).augment(ImageIterator.Augmentation.STANDARD, seed);
        }
        DataSetIterator train = trainBuilder.build();
        DataSetIterator test = data.testIterator(500);
        System.out.printf("%s: %d training and %d test images%n", data.source, data.train.count, data.test.count);

        // 2. The model: LeNet-5 (conv-pool-conv-pool-dense-dense-dense), SGD with heavy-ball momentum 0.5 (the
        //    papers' classical momentum, not DL4J's Nesterov), lr 0.005.
        MultiLayerNetwork net = new MultiLayerNetwork(Models.lenet(
                Cifar.HEIGHT, Cifar.WIDTH, Cifar.CHANNELS, variant.classes, new HeavyBall(0.005, 0.5), seed));
        net.init();

        // 3. The trainer: Interval-Asynchrony with y0 = 64, decaying; TAIL-τ scales each update by its staleness.
        AsyncTrainer.Builder builder = new AsyncTrainer.Builder(net)
                .workers(workers)
                .seed(seed)
                .dispatch(DispatchSpec.Interval.of(64, IntervalSchedule.Decay.DEFAULT))
                .stepSize(new StepSizeSpec.Tail())
                .listeners(new TestAccuracyPerEpoch(test))
                .progress(
                        (seconds, applied, planned, loss, tau) -> {
                            if (!Double.isNaN(loss)) { // NaN: no step finished since the last report
                                System.out.printf(
                                        "  %4.0f s: %d of %d updates, loss %.3f, mean staleness %.2f%n",
                                        seconds, applied, planned, loss, tau);
                            }
                        },
                        Duration.ofSeconds(15));
        if (augment) {
            builder.dataMode(AsyncTrainer.DataMode.PREFETCH); // read the iterator anew every epoch: fresh crops
        }

        // 4. Train; progress every 15 s, the listener prints the test accuracy after every epoch.
        TrainingReport report;
        try (AsyncTrainer trainer = builder.build()) {
            report = trainer.fit(train, epochs);
        }

        // 5. The report: throughput, staleness of the applied updates, acceptance of the intervals.
        test.reset();
        System.out.printf(
                "final test accuracy %.4f after %d epochs, %.0f s (%s)%n",
                net.evaluate(test).accuracy(),
                report.epochsCompleted(),
                report.wallSeconds(),
                report.stopReason().key());
        System.out.printf(
                "%d updates applied, %d rejected by the intervals (acceptance %.3f), %.1f steps/s%n",
                report.stepsAccepted(), report.stepsRejected(), report.acceptanceRate(), report.stepsPerSecond());
        System.out.printf(
                "staleness of the applied updates: mean %.2f, p99 %d, max %d%n",
                report.staleness().mean(),
                report.staleness().p99(),
                report.staleness().max());
        return 0;
    }

    /**
     * A plain DL4J listener: the trainer calls it once per epoch with the network holding the latest parameters.
     * Listener calls are serialised, so the other workers wait at their next update while it evaluates (the
     * trainer's own {@code .evaluation(test).evalEvery(n)} evaluates a copy while they go on).
     */
    static final class TestAccuracyPerEpoch extends BaseTrainingListener {
        private final DataSetIterator test;
        private final long start = System.nanoTime();

        TestAccuracyPerEpoch(DataSetIterator test) {
            this.test = test;
        }

        @Override
        public void onEpochEnd(Model model) {
            MultiLayerNetwork net = (MultiLayerNetwork) model;
            test.reset();
            System.out.printf(
                    "epoch %d done after %.0f s: test accuracy %.4f%n",
                    net.getEpochCount() + 1,
                    (System.nanoTime() - start) / 1e9,
                    net.evaluate(test).accuracy());
        }
    }
}
