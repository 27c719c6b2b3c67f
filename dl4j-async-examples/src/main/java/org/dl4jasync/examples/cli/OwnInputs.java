package org.dl4jasync.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.dl4jasync.examples.data.OwnData;
import picocli.CommandLine.Option;

/**
 * {@code train}'s options for the user's own network and data: {@code --model-file} (instead of {@code --model}),
 * {@code --data} and {@code --test-data} (instead of {@code --dataset}), read through DataVec, and
 * {@code --save-model}. Each option lives here, parsed onto its field; {@link #check} refuses the combinations that
 * cannot work before anything is read.
 */
final class OwnInputs {
    @Option(
            order = 60,
            names = "--model-file",
            paramLabel = "FILE",
            description = "Train your own network: a model saved by DL4J's ModelSerializer (MultiLayerNetwork or "
                    + "ComputationGraph, with or without its updater state) or a configuration JSON. Its updater "
                    + "is used: not with --model, --lr, --momentum, --momentum-form or --init.")
    Path modelFile;

    @Option(
            order = 61,
            names = "--data",
            paramLabel = "csv:FILE|images:DIR",
            description = "Train on your own data instead of --dataset: a CSV file (with --label-index and "
                    + "--num-classes) or a directory of images in one folder per class (with --image-size).")
    String data;

    @Option(
            order = 62,
            names = "--test-data",
            paramLabel = "csv:FILE|images:DIR",
            description = "The test set of --data, in the same form. Default: a seeded held-out part of --data "
                    + "(--test-fraction).")
    String testData;

    @Option(
            order = 63,
            names = "--label-index",
            paramLabel = "K",
            description = "CSV: the column of the class index (0-based).")
    Integer labelIndex;

    @Option(order = 64, names = "--num-classes", paramLabel = "N", description = "CSV: the number of classes.")
    Integer numClasses;

    @Option(
            order = 65,
            names = "--image-size",
            paramLabel = "H,W,C",
            split = ",",
            description = "images: every image resized to H x W with C channels (1 or 3), e.g. 32,32,3.")
    List<Integer> imageSize;

    @Option(
            order = 66,
            names = "--test-fraction",
            paramLabel = "F",
            defaultValue = "0.2",
            description = "Without --test-data: the share of --data held out for testing, drawn with --seed. "
                    + "Default: ${DEFAULT-VALUE}.")
    double testFraction;

    @Option(
            order = 67,
            names = "--save-model",
            paramLabel = "FILE",
            description = "Write the trained network with its updater state (DL4J's ModelSerializer zip).")
    Path saveModel;

    boolean ownModel() {
        return modelFile != null;
    }

    boolean ownData() {
        return data != null;
    }

    /**
     * Refuses what cannot work, before anything is read: options of the built-in models or data sets beside
     * these, CSV or image options without their form, a missing --save-model directory.
     *
     * @param given        the names of the options given on the command line
     * @param builtInModel --model's value
     */
    void check(Predicate<String> given, String builtInModel) {
        if (ownModel()) {
            for (String o : List.of("--model", "--lr", "--momentum", "--momentum-form", "--init")) {
                if (given.test(o)) {
                    throw new UsageException(o + " does not apply with --model-file: the network's own "
                            + "configuration and updater are used");
                }
            }
        }
        if (data == null) {
            for (String o :
                    List.of("--test-data", "--label-index", "--num-classes", "--image-size", "--test-fraction")) {
                if (given.test(o)) {
                    throw new UsageException(o + " is for --data");
                }
            }
        } else {
            for (String o : List.of("--dataset", "--data-dir", "--pixels", "--augment")) {
                if (given.test(o)) {
                    throw new UsageException(o + " is for the built-in data sets, not --data");
                }
            }
            boolean csv = data.startsWith("csv:");
            boolean images = data.startsWith("images:");
            if (!csv && !images) {
                throw new UsageException("--data", data, "csv:FILE or images:DIR");
            }
            if (testData != null && !testData.startsWith(csv ? "csv:" : "images:")) {
                throw new UsageException(
                        "--test-data", testData, (csv ? "csv:FILE" : "images:DIR") + ", the form of --data");
            }
            if (csv && (labelIndex == null || numClasses == null)) {
                throw new UsageException("--data csv:FILE needs --label-index K and --num-classes N");
            }
            if (csv && !ownModel() && given.test("--model") && !"mlp".equals(builtInModel)) {
                throw new UsageException("--data csv:FILE trains --model mlp (sized to its columns) or "
                        + "--model-file FILE, not --model " + builtInModel);
            }
            if (csv && !ownModel() && !given.test("--model")) {
                throw new UsageException("--data csv:FILE needs a network: --model mlp (sized to its columns) or "
                        + "--model-file FILE");
            }
            if (csv && imageSize != null) {
                throw new UsageException("--image-size is for --data images:DIR");
            }
            if (images && (labelIndex != null || numClasses != null)) {
                throw new UsageException("--label-index and --num-classes are for --data csv:FILE (the class "
                        + "folders name the classes)");
            }
            if (images && (imageSize == null || imageSize.size() != 3)) {
                throw new UsageException("--data images:DIR needs --image-size H,W,C (e.g. 32,32,3)");
            }
            if (testData != null && given.test("--test-fraction")) {
                throw new UsageException("--test-fraction is for --data without --test-data");
            }
            if (!(testFraction > 0 && testFraction < 1)) {
                throw new UsageException("--test-fraction", String.valueOf(testFraction), "a number in (0, 1)");
            }
        }
        if (saveModel != null) {
            ReportFiles.checkWritable("--save-model", saveModel);
        }
    }

    /** Reads --data and --test-data (or splits --data): {training, test}. */
    OwnData[] load(long seed) throws IOException {
        OwnData train = read(data);
        if (testData == null) {
            try {
                return train.split(testFraction, seed);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        OwnData test = read(testData);
        train.checkMatches(test, Paths.get(testData.substring(testData.indexOf(':') + 1)));
        return new OwnData[] {train, test};
    }

    private OwnData read(String spec) throws IOException {
        Path p = Paths.get(spec.substring(spec.indexOf(':') + 1));
        try {
            return spec.startsWith("csv:")
                    ? OwnData.csv(p, labelIndex, numClasses)
                    : OwnData.images(p, imageSize.get(0), imageSize.get(1), imageSize.get(2));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The report's provenance of these options (those given). */
    Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        if (modelFile != null) {
            p.put("model_file", modelFile.toString());
        }
        if (data != null) {
            p.put("data", data);
            p.put("test_data", testData != null ? testData : "held out of data: " + testFraction);
            if (labelIndex != null) {
                p.put("label_index", labelIndex);
                p.put("num_classes", numClasses);
            }
            if (imageSize != null) {
                p.put("image_size", imageSize);
            }
        }
        if (saveModel != null) {
            p.put("save_model", saveModel.toString());
        }
        return p;
    }
}
