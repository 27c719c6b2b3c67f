package org.dl4jasync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
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
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@code train} on the user's own network and data: a CSV data set and an image-folder data set made here, trained
 * with {@code --model-file} of models saved here (a MultiLayerNetwork, a ComputationGraph, a configuration JSON);
 * {@code --save-model} output reloads with its updater state; bad files and shapes that do not fit are exit 2 with
 * one line, before training.
 */
class OwnModelAndDataTest {
    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    @TempDir
    Path dir;

    /** 3 classes of 4 features (blobs around corners), the label in column 2; a header line. */
    private Path csv(String name, int rows, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder("f0,f1,label,f2,f3\n");
        for (int i = 0; i < rows; i++) {
            int c = r.nextInt(3);
            double[] f = new double[4];
            for (int j = 0; j < 4; j++) {
                f[j] = (j % 3 == c ? 2 : -1) + 0.4 * r.nextGaussian();
            }
            s.append(f[0])
                    .append(',')
                    .append(f[1])
                    .append(',')
                    .append(c)
                    .append(',')
                    .append(f[2])
                    .append(',')
                    .append(f[3])
                    .append('\n');
        }
        return Files.writeString(dir.resolve(name), s);
    }

    private static MultiLayerConfiguration mlp(int in, int classes) {
        return new NeuralNetConfiguration.Builder()
                .seed(1)
                .updater(new Adam(0.01))
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(in)
                        .nOut(16)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(16)
                        .nOut(classes)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build();
    }

    private Path savedMlp(String name, int in, int classes) throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(mlp(in, classes));
        net.init();
        Path file = dir.resolve(name);
        ModelSerializer.writeModel(net, file.toFile(), true);
        return file;
    }

    private JsonNode report(Path json) throws IOException {
        return new ObjectMapper().readTree(json.toFile());
    }

    @Test
    void aSavedNetworkTrainsOnCsvFilesAndIsSavedWithItsUpdaterState() throws Exception {
        Path train = csv("train.csv", 300, 1);
        Path test = csv("test.csv", 100, 2);
        Path model = savedMlp("mlp.zip", 4, 3);
        Path saved = dir.resolve("trained.zip");
        Path json = dir.resolve("r.json");
        int code = Main.run(
                "train",
                "--model-file",
                model.toString(),
                "--data",
                "csv:" + train,
                "--test-data",
                "csv:" + test,
                "--label-index",
                "2",
                "--num-classes",
                "3",
                "--workers",
                "2",
                "--max-steps",
                "300",
                "--save-model",
                saved.toString(),
                "--json",
                json.toString());
        assertThat(code).as(console.err()).isZero();
        JsonNode r = report(json);
        assertThat(r.path("steps_accepted").asLong()).isEqualTo(300);
        assertThat(r.path("epochs_completed").asInt())
                .as("batches of 16: 19 a pass over 300 examples")
                .isEqualTo(300 / 19);
        assertThat(r.path("final_accuracy").asDouble()).as("separable blobs").isGreaterThan(0.9);
        assertThat(r.path("config").path("model_file").asText()).isEqualTo(model.toString());
        assertThat(r.path("config").path("data").asText()).isEqualTo("csv:" + train);
        assertThat(console.out())
                .contains("MultiLayerNetwork from " + model + " (with updater state)")
                .contains("(300 train / 100 test)");

        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(saved.toFile(), true);
        assertThat(back.getUpdater().getStateViewArray().amaxNumber().doubleValue())
                .as("Adam's moments, saved with the network")
                .isPositive();
        assertThat(back.getIterationCount()).isEqualTo(300);
    }

    @Test
    void aConfigurationJsonTrainsOnAHeldOutSplitOfOneCsvFile() throws Exception {
        Path train = csv("all.csv", 250, 3);
        Path conf = Files.writeString(dir.resolve("conf.json"), mlp(4, 3).toJson());
        Path json = dir.resolve("r.json");
        int code = Main.run(
                "train",
                "--model-file",
                conf.toString(),
                "--data",
                "csv:" + train,
                "--label-index",
                "2",
                "--num-classes",
                "3",
                "--workers",
                "2",
                "--max-steps",
                "100",
                "--seed",
                "5",
                "--json",
                json.toString());
        assertThat(code).as(console.err()).isZero();
        assertThat(console.out())
                .contains("MultiLayerNetwork configuration from")
                .contains("(200 train / 50 test)");
        assertThat(report(json).path("config").path("test_data").asText()).contains("held out");
    }

    @Test
    void aBuiltInMlpIsSizedToTheCsvColumns() throws Exception {
        Path train = csv("all.csv", 200, 4);
        int code = Main.run(
                "train",
                "--model",
                "mlp",
                "--data",
                "csv:" + train,
                "--label-index",
                "2",
                "--num-classes",
                "3",
                "--workers",
                "2",
                "--max-steps",
                "50",
                "--quiet");
        assertThat(code).as(console.err()).isZero();
    }

    @Test
    void saveModelWorksForBuiltInModelsAndAModelFileTrainsOnABuiltInDataSet() throws Exception {
        Path saved = dir.resolve("lenet.zip");
        assertThat(Main.run(
                        "train", "--max-steps", "20", "--workers", "2", "--quiet", "--save-model", saved.toString()))
                .as(console.err())
                .isZero();
        MultiLayerNetwork lenet = ModelSerializer.restoreMultiLayerNetwork(saved.toFile(), true);
        assertThat(lenet.getIterationCount()).isEqualTo(20);
        assertThat(lenet.getUpdater().getStateViewArray().amaxNumber().doubleValue())
                .as("momentum")
                .isPositive();

        Path saved2 = dir.resolve("pw.zip");
        assertThat(Main.run(
                        "train",
                        "--algorithm",
                        "netfit",
                        "--model",
                        "mlp",
                        "--max-steps",
                        "10",
                        "--quiet",
                        "--save-model",
                        saved2.toString()))
                .as(console.err())
                .isZero();
        assertThat(ModelSerializer.restoreMultiLayerNetwork(saved2.toFile(), true)
                        .getIterationCount())
                .isEqualTo(10);

        // the user's MLP on the embedded Fashion-MNIST sample (flat rows of 784 pixels, 10 classes)
        Path mlp = savedMlp("fashion-mlp.zip", 784, 10);
        assertThat(Main.run("train", "--model-file", mlp.toString(), "--max-steps", "30", "--workers", "2", "--quiet"))
                .as(console.err())
                .isZero();
    }

    /** Two classes of 8×8 RGB images: reddish and bluish, with noise, in one folder per class. */
    private Path images(String name, int perClass, long seed) throws IOException {
        Random r = new Random(seed);
        Path root = dir.resolve(name);
        for (String c : List.of("blue", "red")) {
            Path folder = Files.createDirectories(root.resolve(c));
            for (int i = 0; i < perClass; i++) {
                BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        int hi = 150 + r.nextInt(100);
                        int lo = r.nextInt(100);
                        img.setRGB(x, y, c.equals("red") ? (hi << 16) | (lo << 8) | lo : (lo << 16) | (lo << 8) | hi);
                    }
                }
                ImageIO.write(img, "png", folder.resolve(i + ".png").toFile());
            }
        }
        return root;
    }

    @Test
    void aSavedGraphTrainsOnAnImageFolderAndIsSavedWithItsUpdaterState() throws Exception {
        Path images = images("imgs", 30, 1);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(2)
                .updater(new Nesterovs(0.01, 0.9))
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
                        "pool", new SubsamplingLayer.Builder(2, 2).stride(2, 2).build(), "conv")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nOut(2)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "pool")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(8, 8, 3))
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        Path model = dir.resolve("graph.zip");
        ModelSerializer.writeModel(g, model.toFile(), true);
        Path saved = dir.resolve("graph-trained.zip");
        Path json = dir.resolve("r.json");
        int code = Main.run(
                "train",
                "--model-file",
                model.toString(),
                "--data",
                "images:" + images,
                "--image-size",
                "8,8,3",
                "--workers",
                "2",
                "--max-steps",
                "120",
                "--batch",
                "8",
                "--save-model",
                saved.toString(),
                "--json",
                json.toString());
        assertThat(code).as(console.err()).isZero();
        assertThat(console.out()).contains("ComputationGraph from").contains("(48 train / 12 test)");
        assertThat(report(json).path("final_accuracy").asDouble())
                .as("red against blue")
                .isGreaterThan(0.8);
        ComputationGraph back = ModelSerializer.restoreComputationGraph(saved.toFile(), true);
        assertThat(back.getUpdater().getStateViewArray().amaxNumber().doubleValue())
                .as("the momentum, saved with the graph")
                .isPositive();
    }

    @Test
    void aBuiltInLenetIsSizedToTheImages() throws Exception {
        Path images = images("imgs", 12, 2);
        int code = Main.run(
                "train",
                "--data",
                "images:" + images,
                "--image-size",
                "28,28,3",
                "--workers",
                "2",
                "--max-steps",
                "20",
                "--quiet");
        assertThat(code).as(console.err()).isZero();
        console.reset();
        code = Main.run("train", "--data", "images:" + images, "--image-size", "12,12,3", "--max-steps", "20");
        assertThat(code)
                .as("LeNet's two 5x5 convolutions and pools do not fit 12x12")
                .isEqualTo(Main.EXIT_USAGE);
        List<String> err = console.err().lines().toList(); // after DL4J's own warnings of a size of 0
        assertThat(err.get(err.size() - 1))
                .startsWith("dl4j-async train: --model lenet cannot be built for examples of shape [3, 12, 12]");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "a cell that is not a number | f0,f1,label,f2,f3\\n1,2,0,3,4\\n1,x,1,3,4\\n | 'x' is not a number",
                "a label outside the classes | 1,2,0,3,4\\n1,2,7,3,4\\n | label 7 is not a class index in 0..2",
                "a label that is not an integer | 1,2,0.5,3,4\\n | label 0.5 is not a class index",
                "a ragged line | 1,2,0,3,4\\n1,2,0,3\\n | line 2 has 4 columns, the first has 5",
                "no examples | f0,f1,label,f2,f3\\n | no examples",
            })
    void badCsvFilesAreRefusedInOneLine(String what, String content, String message) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.csv"), content.replace("\\n", "\n"));
        Path model = savedMlp("m.zip", 4, 3);
        int code = Main.run(
                "train",
                "--model-file",
                model.toString(),
                "--data",
                "csv:" + file,
                "--label-index",
                "2",
                "--num-classes",
                "3",
                "--test-data",
                "csv:" + csv("t.csv", 10, 1),
                "--max-steps",
                "10");
        assertThat(code).isEqualTo(Main.EXIT_USAGE);
        assertThat(console.err().lines().toList())
                .as(what)
                .singleElement()
                .asString()
                .contains(file.toString())
                .contains(message);
    }

    @Test
    void shapesThatDoNotFitAndBadCombinationsAreRefusedBeforeTraining() throws Exception {
        Path train = csv("train.csv", 40, 1);
        String[] data = {"--data", "csv:" + train, "--label-index", "2", "--num-classes", "3", "--max-steps", "10"};
        List<String[]> cases = new ArrayList<>();
        cases.add(concat(new String[] {"--model-file", savedMlp("in5.zip", 5, 3).toString()}, data));
        cases.add(
                concat(new String[] {"--model-file", savedMlp("out4.zip", 4, 4).toString()}, data));
        cases.add(concat(
                new String[] {
                    "--model-file",
                    Files.writeString(dir.resolve("junk.zip"), "not a model").toString()
                },
                data));
        cases.add(concat(new String[] {"--model-file", dir.resolve("none.zip").toString()}, data));
        cases.add(concat(new String[] {"--model-file", savedMlp("ok.zip", 4, 3).toString(), "--lr", "0.1"}, data));
        cases.add(new String[] {"--model", "mlp", "--data", "csv:" + train, "--max-steps", "10"});
        cases.add(new String[] {"--model", "lenet", "--data", "csv:" + train, "--label-index", "2", "--num-classes", "3"
        });
        cases.add(
                new String[] {"--model", "mlp", "--data", "csv:" + train, "--label-index", "9", "--num-classes", "3"});
        cases.add(new String[] {"--model", "mlp", "--data", "parquet:" + train});
        cases.add(new String[] {
            "--model",
            "mlp",
            "--data",
            "csv:" + train,
            "--label-index",
            "2",
            "--num-classes",
            "3",
            "--dataset",
            "cifar10"
        });
        cases.add(new String[] {"--data", "images:" + images("one", 3, 1).resolve("red"), "--image-size", "8,8,3"});
        cases.add(new String[] {"--data", "images:" + dir, "--image-size", "8,8"});
        cases.add(new String[] {"--label-index", "2"});
        cases.add(concat(
                new String[] {
                    "--model", "mlp", "--test-data", "csv:" + Files.writeString(dir.resolve("three.csv"), "1,2,0\n")
                },
                data));
        cases.add(concat(
                new String[] {
                    "--model",
                    "mlp",
                    "--save-model",
                    dir.resolve("no/such/dir.zip").toString()
                },
                data));
        for (String[] args : cases) {
            console.reset();
            int code = Main.run(concat(new String[] {"train"}, args));
            assertThat(code).as(String.join(" ", args) + "\n" + console.err()).isEqualTo(Main.EXIT_USAGE);
            assertThat(console.err().lines().toList())
                    .as(String.join(" ", args))
                    .hasSize(1);
            assertThat(console.out()).as("nothing trained").doesNotContain("steps ");
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
