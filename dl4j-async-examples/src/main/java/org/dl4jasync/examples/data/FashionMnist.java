package org.dl4jasync.examples.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf 2017; MIT licence, see the LICENSE.txt beside the embedded files).
 *
 * <p>{@link #embedded()}: the official t10k files bundled with this module, split 8,000 train / 2,000 test —
 * works on any machine with no download. {@link #full(Path)}: the official 60,000 / 10,000 files, found in
 * {@code --data-dir}, else {@code /usr/share/datasets/fashion-mnist} (Debian's {@code dataset-fashion-mnist}),
 * else {@code ~/.deeplearning4j/data/fashion-mnist}.
 */
public final class FashionMnist {
    public static final int CLASSES = 10;
    public static final int EMBEDDED_TRAIN = 8_000;
    /** Training images of the full data set. */
    public static final int FULL_TRAIN = 60_000;

    private static final String RESOURCE = "/org/dl4jasync/examples/fashion-mnist/";
    private static final String[] FILES = {
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
    };

    private FashionMnist() {}

    public static TrainTest embedded() throws IOException {
        IdxReader.Images images;
        byte[] labels;
        try (InputStream i = resource("t10k-images-idx3-ubyte.gz");
                InputStream l = resource("t10k-labels-idx1-ubyte.gz")) {
            images = IdxReader.readImages(i, "embedded t10k-images-idx3-ubyte.gz");
            labels = IdxReader.readLabels(l, "embedded t10k-labels-idx1-ubyte.gz");
        }
        LabeledImages all = LabeledImages.fromIdx(images, labels, CLASSES);
        return new TrainTest(
                all.range(0, EMBEDDED_TRAIN),
                all.range(EMBEDDED_TRAIN, all.count),
                "embedded Fashion-MNIST sample (t10k split 8000/2000)");
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = FashionMnist.class.getResourceAsStream(RESOURCE + name);
        if (in == null) {
            throw new IOException("embedded resource " + RESOURCE + name + " missing from the class path");
        }
        return in;
    }

    /** The places {@link #full} searches, in order. */
    public static List<Path> searchPath(Path dataDir) {
        List<Path> dirs = new ArrayList<>();
        if (dataDir != null) {
            dirs.add(dataDir); // an explicit directory is the only place searched
        } else {
            dirs.add(Paths.get("/usr/share/datasets/fashion-mnist"));
            dirs.add(Paths.get(System.getProperty("user.home"), ".deeplearning4j", "data", "fashion-mnist"));
        }
        return dirs;
    }

    public static TrainTest full(Path dataDir) throws IOException {
        List<Path> searched = searchPath(dataDir);
        for (Path dir : searched) {
            Path[] files = new Path[FILES.length];
            boolean complete = true;
            for (int k = 0; k < FILES.length && complete; k++) {
                files[k] = find(dir, FILES[k]);
                complete = files[k] != null;
            }
            if (complete) {
                LabeledImages train = pair(files[0], files[1]);
                LabeledImages test = pair(files[2], files[3]);
                if (test.height != train.height || test.width != train.width) {
                    throw new IOException(files[2] + ": test images of " + test.height + "×" + test.width
                            + ", training images (" + files[0] + ") of " + train.height + "×" + train.width);
                }
                return new TrainTest(train, test, "Fashion-MNIST from " + dir);
            }
        }
        List<String> expected = new ArrayList<>();
        for (String f : FILES) {
            expected.add(f + "[.gz]");
        }
        throw new DataNotFoundException(
                "Fashion-MNIST",
                expected,
                searched,
                "install it with apt-get install -y dataset-fashion-mnist, or pass --data-dir DIR");
    }

    /** An image file and its label file, checked against each other (counts, label range): one line if not. */
    private static LabeledImages pair(Path images, Path labels) throws IOException {
        try {
            return LabeledImages.fromIdx(IdxReader.readImages(images), IdxReader.readLabels(labels), CLASSES);
        } catch (IllegalArgumentException e) {
            throw new IOException(images + " and " + labels + ": " + e.getMessage(), e);
        }
    }

    private static Path find(Path dir, String base) {
        for (String name : new String[] {base + ".gz", base}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
