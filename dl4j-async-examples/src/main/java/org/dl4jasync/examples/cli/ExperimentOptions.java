package org.dl4jasync.examples.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The experiment's options: what is trained (data, model, SGD settings); recorded in the report beside the run's. */
final class ExperimentOptions {

    @Option(
            order = 1,
            names = "--dataset",
            paramLabel = "NAME",
            defaultValue = "embedded",
            description = "embedded (8,000/2,000 Fashion-MNIST sample bundled with the jar), fashion-mnist "
                    + "(full 60,000/10,000), cifar10 or cifar100 (binary version). Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(
            order = 2,
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "Directory with the data set's files. Fashion-MNIST IDX files (.gz or raw), default "
                            + "/usr/share/datasets/fashion-mnist, else ~/.deeplearning4j/data/fashion-mnist; CIFAR binary "
                            + "files, default ~/.deeplearning4j/data/cifar10/cifar-10-batches-bin (cifar100/cifar-100-binary),"
                            + " ~/.deeplearning4j/data/cifar10, ~/cifar/cifar-10-batches-bin, ../shared/data/cifar-10-batches-bin.")
    Path dataDir;

    @Option(
            order = 2,
            names = "--augment",
            description = "Random 32×32 crops of the image padded by 4 pixels and horizontal flips, with a shuffle of "
                    + "the examples, drawn afresh every epoch from --seed (train only).")
    boolean augment;

    @Option(
            order = 3,
            names = "--model",
            paramLabel = "NAME",
            defaultValue = "lenet",
            description = "lenet (LeNet-5: two dense layers of 120 and 84, as the paper's text), lenet-authors (one of "
                    + "120, as the Interval-Asynchrony paper's code), mlp (3×128 ReLU) or resnet-small (a residual "
                    + "ComputationGraph: two residual blocks, 16 and 32 channels). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(
            order = 4,
            names = "--batch",
            paramLabel = "B",
            defaultValue = "16",
            description = "Minibatch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(
            order = 5,
            names = "--lr",
            paramLabel = "ETA",
            defaultValue = "0.01",
            description = "Learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(
            order = 6,
            names = "--momentum",
            paramLabel = "MU",
            defaultValue = "0.5",
            description = "Momentum μ (0: plain SGD); its form is --momentum-form. Default: ${DEFAULT-VALUE}.")
    double momentum;

    @Option(
            order = 6,
            names = "--momentum-form",
            paramLabel = "FORM",
            defaultValue = Experiment.DEFAULT_MOMENTUM_FORM,
            description = "nesterov (DL4J's Nesterovs: a gradient lands as (1+μ)·η at once) or heavy-ball (classical "
                    + "momentum δ ← μ·δ − η·g, the papers'; with a step-size rule the factor scales the gradient term "
                    + "only, as in the authors' code). Default: ${DEFAULT-VALUE}.")
    String momentumForm;

    @Option(
            order = 6,
            names = "--init",
            paramLabel = "INIT",
            defaultValue = "xavier",
            description = "Initial weights: xavier (the models' DL4J initialisation) or paper (every weight and bias "
                    + "from N(0, 0.01²), seeded, as the papers' code). Default: ${DEFAULT-VALUE}.")
    String init;

    @Option(
            order = 6,
            names = "--pixels",
            paramLabel = "FORM",
            defaultValue = "standardized",
            description = "CIFAR's inputs: standardized (scaled to [0, 1], then per channel to mean 0 and standard "
                    + "deviation 1) or scaled (x / 255 only, as the Interval-Asynchrony paper's code). Fashion-MNIST "
                    + "is always scaled. Default: ${DEFAULT-VALUE}.")
    String pixels;

    /** The experiment these options describe. */
    Experiment experiment() {
        return new Experiment(dataset, dataDir, model, batch, lr, momentum, augment, momentumForm, init, pixels);
    }
}
