package org.dl4jasync.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.examples.data.Cifar;
import org.dl4jasync.examples.data.FashionMnist;
import org.dl4jasync.examples.data.ImageIterator;
import org.dl4jasync.examples.data.LabeledImages;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.examples.models.Models;
import org.dl4jasync.model.Initialisation;
import org.dl4jasync.model.NativeHelpers;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * What is trained, as opposed to how ({@link org.dl4jasync.config.RunConfig}): the data set, the model and its SGD
 * settings. The command line's {@code --dataset --data-dir --model --batch --lr --momentum}; the benchmarks build it
 * directly. Validated on construction ({@link UsageException} naming the option).
 *
 * @param dataset  embedded, fashion-mnist, cifar10 or cifar100
 * @param dataDir  where the data set's files are, or null for the default places
 * @param model    lenet, mlp, resnet-small (a ComputationGraph), or (simulation only) none
 * @param batch    minibatch size
 * @param lr       learning rate
 * @param momentum     momentum μ (0: plain SGD)
 * @param augment      random crops (4-pixel padding) and horizontal flips, drawn from the run's seed, and a seeded
 *                     shuffle of the examples every epoch
 * @param momentumForm {@code nesterov} (DL4J's Nesterovs) or {@code heavy-ball} (classical momentum, the papers':
 *                     {@link org.dl4jasync.optimizer.HeavyBall})
 * @param init         {@code xavier} (the models' DL4J initialisation) or {@code paper} (every weight and bias from
 *                     N(0, 0.01²), as both seed papers' code initialises)
 * @param pixels       CIFAR's inputs: {@code standardized} (scaled to [0, 1], then per channel to mean 0 and standard
 *                     deviation 1 with the training set's statistics) or {@code scaled} (x / 255 only, as the
 *                     Interval-Asynchrony paper's code); Fashion-MNIST is always scaled
 */
public record Experiment(
        String dataset,
        Path dataDir,
        String model,
        int batch,
        double lr,
        double momentum,
        boolean augment,
        String momentumForm,
        String init,
        String pixels) {
    public static final String[] MOMENTUM_FORMS = {"nesterov", "heavy-ball"};
    public static final String[] INITS = {"xavier", "paper"};
    public static final String[] PIXELS = {"standardized", "scaled"};
    /** The CLI's momentum form when none is given. */
    public static final String DEFAULT_MOMENTUM_FORM = "nesterov";

    public static final String[] DATASETS = {"embedded", "fashion-mnist", "cifar10", "cifar100"};
    public static final String[] MODELS = {"lenet", "lenet-authors", "mlp", "resnet-small"};
    public static final String[] SIMULATED_MODELS = {"none", "lenet", "lenet-authors", "mlp", "resnet-small"};
    /** Test-set evaluation batch size (evaluation only; does not affect training). */
    public static final int EVAL_BATCH = 500;

    public Experiment {
        choice("--dataset", dataset, DATASETS);
        choice("--momentum-form", momentumForm, MOMENTUM_FORMS);
        choice("--init", init, INITS);
        choice("--pixels", pixels, PIXELS);
        if (batch < 1) {
            throw new UsageException("--batch", String.valueOf(batch), "an integer >= 1");
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new UsageException("--lr", String.valueOf(lr), "a positive number");
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new UsageException("--momentum", String.valueOf(momentum), "a number in [0, 1)");
        }
        if (dataDir != null && "embedded".equals(dataset)) {
            throw new UsageException(
                    "--data-dir",
                    dataDir.toString(),
                    "only with --dataset fashion-mnist, cifar10 " + "or cifar100 (the embedded sample is in the jar)");
        }
    }

    /** Without augmentation, the default momentum form, DL4J's initialisation. */
    public Experiment(String dataset, Path dataDir, String model, int batch, double lr, double momentum) {
        this(dataset, dataDir, model, batch, lr, momentum, false, DEFAULT_MOMENTUM_FORM, "xavier", "standardized");
    }

    /** The same experiment with the momentum form {@code form}. */
    public Experiment withMomentumForm(String form) {
        return new Experiment(dataset, dataDir, model, batch, lr, momentum, augment, form, init, pixels);
    }

    /** The updater of the experiment's models: SGD, or SGD with momentum in its form. */
    public org.nd4j.linalg.learning.config.IUpdater updater() {
        return Models.sgd(lr, momentum, "heavy-ball".equals(momentumForm));
    }

    /** The defaults: LeNet-5 on the embedded sample, batch 16, lr 0.01, momentum 0.5. */
    public static Experiment defaults() {
        return new Experiment("embedded", null, "lenet", 16, 0.01, 0.5);
    }

    public Experiment withModel(String m) {
        return new Experiment(dataset, dataDir, m, batch, lr, momentum, augment, momentumForm, init, pixels);
    }

    /** Checks the model for a real training run (lenet, mlp or resnet-small). */
    public Experiment forTraining() {
        choice("--model", model, MODELS);
        return this;
    }

    /** Checks the model for a simulation ({@code none} simulates scheduling only), which takes no augmentation. */
    public Experiment forSimulation() {
        choice("--model", model, SIMULATED_MODELS);
        if (augment) {
            throw new UsageException(
                    "--augment is only for train: the simulator keeps one fixed set of training " + "batches");
        }
        return this;
    }

    public boolean hasModel() {
        return !"none".equals(model);
    }

    /**
     * Reads the data set: Fashion-MNIST scaled to [0, 1]; CIFAR scaled, then (by default, {@link #pixels})
     * standardised per channel with the training set's statistics.
     */
    public TrainTest loadData() throws IOException {
        return switch (dataset) {
            case "fashion-mnist" -> FashionMnist.full(dataDir);
            case "cifar10" -> pixels(Cifar.load(Cifar.Variant.CIFAR10, dataDir));
            case "cifar100" -> pixels(Cifar.load(Cifar.Variant.CIFAR100, dataDir));
            default -> FashionMnist.embedded();
        };
    }

    private TrainTest pixels(TrainTest scaled) {
        return "scaled".equals(pixels) ? scaled : scaled.standardizedPerChannel();
    }

    /** Examples per epoch of the chosen data set (for CIFAR from the sizes of the files present). */
    public int trainSize() throws IOException {
        return switch (dataset) {
            case "fashion-mnist" -> FashionMnist.FULL_TRAIN;
            case "cifar10" -> Cifar.trainSize(Cifar.Variant.CIFAR10, dataDir);
            case "cifar100" -> Cifar.trainSize(Cifar.Variant.CIFAR100, dataDir);
            default -> FashionMnist.EMBEDDED_TRAIN;
        };
    }

    /** A fresh model whose initial weights follow {@code seed}: a MultiLayerNetwork, or for resnet-small a graph. */
    public Model buildModel(TrainTest data, long seed) {
        LabeledImages t = data.train;
        return buildModel(t.height, t.width, t.channels, t.classes, seed);
    }

    /**
     * A fresh model for examples of {@code channels × height × width} (flat rows in CHW order; an MLP reads
     * {@code height · width · channels} inputs) and {@code classes} classes.
     */
    public Model buildModel(int height, int width, int channels, int classes, long seed) {
        LabeledImages t = new LabeledImages(0, height, width, channels, classes, new byte[0], new byte[0]);
        if ("resnet-small".equals(model)) {
            ComputationGraph g =
                    new ComputationGraph(Models.resnetSmall(t.height, t.width, t.channels, t.classes, updater(), seed));
            g.init();
            initialise(g, seed);
            NativeHelpers.useOneDnn(g);
            return g;
        }
        MultiLayerConfiguration conf = "mlp".equals(model)
                ? Models.mlp(t.features(), t.classes, updater(), seed)
                : "lenet-authors".equals(model)
                        ? Models.lenetAuthors(t.height, t.width, t.channels, t.classes, updater(), seed)
                        : Models.lenet(t.height, t.width, t.channels, t.classes, updater(), seed);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        initialise(net, seed);
        NativeHelpers.useOneDnn(net); // DL4J's own conv/pool helpers, which it fails to install (PERFORMANCE.md)
        return net;
    }

    private void initialise(Model m, long seed) {
        if ("paper".equals(init)) {
            Initialisation.normal(m, Models.PAPER_INIT_STD, seed);
        }
    }

    /** {@link #buildModel} for the uses that need a MultiLayerNetwork (lenet or mlp). */
    public MultiLayerNetwork buildNetwork(TrainTest data, long seed) {
        Model m = buildModel(data, seed);
        if (!(m instanceof MultiLayerNetwork)) {
            throw new UsageException("--model", model, "lenet or mlp here (a MultiLayerNetwork)");
        }
        return (MultiLayerNetwork) m;
    }

    /**
     * The training set, {@link #batch} examples at a time: in record order, or with {@link #augment} a fresh seeded
     * permutation and augmentation every epoch (read it anew each epoch: {@code reset()} starts the next one).
     */
    public DataSetIterator trainIterator(TrainTest data, long seed) {
        ImageIterator.Builder b = data.trainIterator(batch);
        if (augment) {
            b.shuffle(seed).augment(ImageIterator.Augmentation.STANDARD, seed);
        }
        return b.build();
    }

    public static DataSetIterator testIterator(TrainTest data) {
        return data.testIterator(EVAL_BATCH);
    }

    /** The report's {@code config} entries of this experiment. */
    public Map<String, Object> provenance() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("dataset", dataset);
        c.put("data_dir", dataDir == null ? null : dataDir.toString());
        c.put("model", model);
        c.put("batch", batch);
        c.put("lr", lr);
        c.put("momentum", momentum);
        c.put("momentum_form", momentumForm);
        c.put("init", init);
        c.put("pixels", pixels);
        c.put("augment", augment);
        c.put("onednn_helpers", NativeHelpers.oneDnnAvailable()); // convolution and pooling through oneDNN
        return c;
    }

    public String describe() {
        return String.format(
                Locale.ROOT,
                "batch %d, lr %s, momentum %s%s%s%s",
                batch,
                lr,
                momentum,
                momentum > 0 && "heavy-ball".equals(momentumForm) ? " (heavy-ball)" : "",
                "paper".equals(init) ? ", N(0, 0.01²) init" : "",
                augment ? ", augmented" : "");
    }

    private static void choice(String option, String value, String[] allowed) {
        for (String a : allowed) {
            if (a.equals(value)) {
                return;
            }
        }
        throw new UsageException(option, value, "one of " + String.join(", ", allowed));
    }
}
