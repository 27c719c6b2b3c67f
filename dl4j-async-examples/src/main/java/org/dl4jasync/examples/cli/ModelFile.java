package org.dl4jasync.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jasync.examples.data.OwnData;
import org.dl4jasync.model.NativeHelpers;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The user's own network for {@code train --model-file}: a model saved by DL4J's {@link ModelSerializer} (a
 * {@link MultiLayerNetwork} or a {@link ComputationGraph}, with its updater state when saved with it), or a
 * configuration in DL4J's JSON (initialised here, its weights from the configuration's seed). {@code --save-model}
 * writes the trained network back with its updater.
 */
final class ModelFile {
    private ModelFile() {}

    /** The loaded network, and whether it came with its optimizer state. */
    record Loaded(Model model, boolean withUpdaterState, String kind) {}

    static Loaded load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UsageException(
                    "--model-file",
                    file.toString(),
                    Files.exists(file) ? "a file (this is a " + "directory)" : "an existing file (not found)");
        }
        if (!Files.isReadable(file)) {
            throw new UsageException("--model-file " + file + ": cannot be read (permission)");
        }
        try {
            if (isZip(file)) {
                boolean updater;
                boolean graph;
                try (ZipFile zip = new ZipFile(file.toFile())) {
                    ZipEntry conf = zip.getEntry("configuration.json");
                    if (conf == null || zip.getEntry("coefficients.bin") == null) {
                        throw new UsageException("--model-file " + file + ": a zip without configuration.json and "
                                + "coefficients.bin is not a model saved by DL4J's ModelSerializer");
                    }
                    try (InputStream in = zip.getInputStream(conf)) {
                        graph = isGraph(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                    updater = zip.getEntry("updaterState.bin") != null;
                }
                Model m = graph
                        ? ModelSerializer.restoreComputationGraph(file.toFile(), updater)
                        : ModelSerializer.restoreMultiLayerNetwork(file.toFile(), updater);
                NativeHelpers.useOneDnn(m);
                return new Loaded(m, updater, graph ? "ComputationGraph" : "MultiLayerNetwork");
            }
            String json = Files.readString(file);
            Model m;
            if (isGraph(json)) {
                ComputationGraph g = new ComputationGraph(ComputationGraphConfiguration.fromJson(json));
                g.init();
                m = g;
            } else {
                MultiLayerNetwork n = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(json));
                n.init();
                m = n;
            }
            NativeHelpers.useOneDnn(m);
            return new Loaded(
                    m,
                    false,
                    (m instanceof ComputationGraph ? "ComputationGraph" : "MultiLayerNetwork") + " configuration");
        } catch (UsageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new UsageException("--model-file " + file + ": not a DL4J model (ModelSerializer zip) or "
                    + "configuration JSON: " + oneLine(e));
        }
    }

    /**
     * Refuses a network that cannot train on {@code data} (before anything trains): one input and one output, an
     * output of one column per class, and a forward pass of the first examples that works.
     */
    static void checkFits(Model m, OwnData data, String network) {
        INDArray x = data.features.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, Math.min(2, data.count())));
        INDArray out;
        try {
            if (m instanceof ComputationGraph g) {
                if (g.getNumInputArrays() != 1 || g.getNumOutputArrays() != 1) {
                    throw new UsageException(network + ": a graph with " + g.getNumInputArrays()
                            + " inputs and " + g.getNumOutputArrays() + " outputs; --data gives one input and one "
                            + "label per example");
                }
                out = g.outputSingle(false, x);
            } else {
                out = ((MultiLayerNetwork) m).output(x, false);
            }
        } catch (UsageException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UsageException(network + " does not take the data's examples of shape "
                    + Arrays.toString(data.exampleShape()) + ": " + oneLine(e));
        }
        if (out.rank() != 2 || out.size(1) != data.classes) {
            throw new UsageException(network + ": its output has shape "
                    + Arrays.toString(Arrays.copyOfRange(out.shape(), 1, out.rank())) + " per example; the data has "
                    + data.classes + " classes");
        }
    }

    /** Writes the trained network with its updater state (DL4J's ModelSerializer). */
    static void save(Model m, Path file) throws IOException {
        ModelSerializer.writeModel(m, file.toFile(), true);
    }

    private static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(2);
            return head.length == 2 && head[0] == 'P' && head[1] == 'K';
        }
    }

    /** A graph's configuration names its vertices; a MultiLayerConfiguration has none. */
    private static boolean isGraph(String json) {
        return json.contains("\"vertices\"");
    }

    private static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null
                && root.getCause() != root
                && (root.getMessage() == null || root.getMessage().isBlank())) {
            root = root.getCause();
        }
        String m =
                String.valueOf(root.getMessage()).lines().findFirst().orElse("").strip();
        if (m.isEmpty() || "null".equals(m)) {
            m = root.getClass().getSimpleName();
        }
        return m.length() <= 200 ? m : m.substring(0, 200) + "…";
    }
}
