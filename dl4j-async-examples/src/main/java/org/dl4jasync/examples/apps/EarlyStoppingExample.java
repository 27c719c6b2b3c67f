package org.dl4jasync.examples.apps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingModelSaver;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.saver.LocalFileModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.termination.MaxScoreIterationTerminationCondition;
import org.deeplearning4j.earlystopping.termination.MaxTimeIterationTerminationCondition;
import org.deeplearning4j.earlystopping.termination.ScoreImprovementEpochTerminationCondition;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.earlystopping.AsyncEarlyStoppingTrainer;
import org.dl4jasync.examples.data.FashionMnist;
import org.dl4jasync.examples.data.ImageIterator;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.examples.models.Models;
import org.dl4jasync.trainer.AsyncTrainer;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Nesterovs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Early stopping with the asynchronous trainer, as ParallelWrapper users do it with {@code
 * EarlyStoppingParallelTrainer}: DL4J's own {@link EarlyStoppingConfiguration} (termination conditions, a score
 * calculator on a validation set, a model saver), run by {@link AsyncEarlyStoppingTrainer}. LeNet-5 on the embedded
 * Fashion-MNIST sample; the last 1,000 training images are the validation set.
 *
 * <pre>./dl4j-async example early-stopping [--max-epochs 10] [--patience 2] [--save-dir DIR]</pre>
 */
@Command(
        name = "early-stopping",
        mixinStandardHelpOptions = true,
        description = "LeNet-5 on Fashion-MNIST with DL4J early stopping on the asynchronous trainer.")
public final class EarlyStoppingExample implements Callable<Integer> {
    @Option(names = "--max-epochs", description = "At most this many epochs. Default: ${DEFAULT-VALUE}.")
    int maxEpochs = 10;

    @Option(
            names = "--patience",
            description =
                    "Stop after this many epochs without a better validation loss. " + "Default: ${DEFAULT-VALUE}.")
    int patience = 2;

    @Option(names = "--workers", description = "Asynchronous workers. Default: the number of cores.")
    int workers = Runtime.getRuntime().availableProcessors();

    @Option(names = "--save-dir", description = "Save the best and latest model there (default: keep them in memory).")
    Path saveDir;

    @Option(names = "--seed", description = "Seed of weights and data order. Default: ${DEFAULT-VALUE}.")
    long seed = 42;

    public static void main(String[] args) {
        System.exit(Examples.run(new EarlyStoppingExample(), args));
    }

    @Override
    public Integer call() throws Exception {
        // 1. Data: train on the first 7,000 images, score on the last 1,000 (validation), test on the test split.
        TrainTest all = FashionMnist.embedded();
        int validationSize = 1_000;
        TrainTest data = all.withoutLastTraining(validationSize);
        DataSetIterator train = data.trainIterator(16).build();
        DataSetIterator validation = ImageIterator.over(
                        all.train.range(all.train.count - validationSize, all.train.count), 500)
                .preProcessor(all.normalizer)
                .build();

        // 2. The network and the asynchronous trainer (no stop conditions of its own).
        MultiLayerNetwork net =
                new MultiLayerNetwork(Models.lenet(28, 28, 1, FashionMnist.CLASSES, new Nesterovs(0.01, 0.5), seed));
        net.init();
        AsyncTrainer trainer =
                new AsyncTrainer.Builder(net).workers(workers).seed(seed).build();

        // 3. DL4J's early-stopping configuration, unchanged from a net.fit or ParallelWrapper program.
        EarlyStoppingModelSaver<MultiLayerNetwork> saver;
        if (saveDir == null) {
            saver = new InMemoryModelSaver<>();
        } else {
            Files.createDirectories(saveDir);
            saver = new LocalFileModelSaver(saveDir.toString());
        }
        EarlyStoppingConfiguration<MultiLayerNetwork> es = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(
                        new MaxEpochsTerminationCondition(maxEpochs),
                        new ScoreImprovementEpochTerminationCondition(patience))
                .iterationTerminationConditions(
                        new MaxTimeIterationTerminationCondition(20, TimeUnit.MINUTES),
                        new MaxScoreIterationTerminationCondition(50)) // the loss exploded: stop at once
                .scoreCalculator(new DataSetLossCalculator(validation, true))
                .evaluateEveryNEpochs(1)
                .saveLastModel(true)
                .modelSaver(saver)
                .build();

        // 4. Train until a termination condition fires.
        EarlyStoppingResult<MultiLayerNetwork> result = new AsyncEarlyStoppingTrainer<>(es, trainer, train).fit();
        trainer.close();

        // 5. What happened, and how good the best model is on the test set.
        System.out.println("termination reason:  " + result.getTerminationReason());
        System.out.println("termination details: " + result.getTerminationDetails());
        System.out.println("total epochs:        " + result.getTotalEpochs());
        System.out.println("best epoch:          " + result.getBestModelEpoch());
        System.out.println("validation loss per epoch: " + result.getScoreVsEpoch());
        MultiLayerNetwork best = result.getBestModel();
        if (best != null) {
            System.out.printf(
                    "best model's test accuracy: %.4f%n",
                    best.evaluate(data.testIterator(500)).accuracy());
        }
        return 0;
    }
}
