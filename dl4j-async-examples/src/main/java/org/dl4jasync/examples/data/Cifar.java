package org.dl4jasync.examples.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CIFAR-10 and CIFAR-100 in the binary layout of their official "binary version" (Krizhevsky 2009,
 * https://www.cs.toronto.edu/~kriz/cifar.html): fixed-size records of label byte(s) then 1,024 red, 1,024 green and
 * 1,024 blue bytes of a 32×32 image, row-major. That is channel-major (CHW) order, which is how {@link LabeledImages}
 * keeps pixels, so records are copied as they are.
 *
 * <ul>
 * <li>CIFAR-10 ({@code cifar-10-batches-bin/}): {@code data_batch_1.bin} … {@code data_batch_5.bin} (10,000 records
 * each), {@code test_batch.bin}, {@code batches.meta.txt} (the class names); 3,073-byte records (label 0–9). Any
 * non-empty subset of the five training files is used, in file order.</li>
 * <li>CIFAR-100 ({@code cifar-100-binary/}): {@code train.bin}, {@code test.bin}, {@code fine_label_names.txt},
 * {@code coarse_label_names.txt}; 3,074-byte records (coarse label 0–19, fine label 0–99). Fine labels by default.</li>
 * </ul>
 *
 * Everything is checked before training can start: a file whose size is not a whole number of records, a label out
 * of range, a missing test file: each is an {@link IOException} naming the file and what is wrong.
 */
public final class Cifar {
    public static final int HEIGHT = 32;
    public static final int WIDTH = 32;
    public static final int CHANNELS = 3;
    public static final int PIXELS = HEIGHT * WIDTH * CHANNELS;

    /** Which data set and which of CIFAR-100's two labels. */
    public enum Variant {
        CIFAR10("CIFAR-10", "cifar-10-batches-bin", "cifar10", 10, 1, 0, "batches.meta.txt"),
        CIFAR100("CIFAR-100", "cifar-100-binary", "cifar100", 100, 2, 1, "fine_label_names.txt"),
        CIFAR100_COARSE(
                "CIFAR-100 (coarse labels)", "cifar-100-binary", "cifar100", 20, 2, 0, "coarse_label_names.txt");

        public final String title;
        /** The directory name of the official archive. */
        public final String directory;
        /** The directory under DL4J's data cache ({@code ~/.deeplearning4j/data/NAME}). */
        final String cacheName;

        public final int classes;
        final int labelBytes;
        /** Which label byte of a record is used. */
        final int labelIndex;

        final String namesFile;

        Variant(
                String title,
                String directory,
                String cacheName,
                int classes,
                int labelBytes,
                int labelIndex,
                String namesFile) {
            this.title = title;
            this.directory = directory;
            this.cacheName = cacheName;
            this.classes = classes;
            this.labelBytes = labelBytes;
            this.labelIndex = labelIndex;
            this.namesFile = namesFile;
        }

        public int recordBytes() {
            return labelBytes + PIXELS;
        }

        List<String> trainFiles() {
            if (this == CIFAR10) {
                List<String> f = new ArrayList<>();
                for (int i = 1; i <= 5; i++) {
                    f.add("data_batch_" + i + ".bin");
                }
                return f;
            }
            return List.of("train.bin");
        }

        String testFile() {
            return this == CIFAR10 ? "test_batch.bin" : "test.bin";
        }
    }

    private Cifar() {}

    /**
     * The places {@link #load} looks, in order: {@code dataDir} alone when given; else DL4J's data cache
     * ({@code ~/.deeplearning4j/data/cifar10/cifar-10-batches-bin}, then {@code ~/.deeplearning4j/data/cifar10}),
     * the directory older DL4J releases used ({@code ~/cifar/cifar-10-batches-bin}), and a {@code shared/data}
     * directory beside the project ({@code ../shared/data/cifar-10-batches-bin} from the working directory, and
     * from the project directory when the launcher says where that is, system property {@code dl4jasync.home}).
     */
    public static List<Path> searchPath(Variant v, Path dataDir) {
        List<Path> dirs = new ArrayList<>();
        if (dataDir != null) {
            dirs.add(dataDir);
            return dirs;
        }
        Path home = Paths.get(System.getProperty("user.home"));
        Path cache = home.resolve(".deeplearning4j").resolve("data").resolve(v.cacheName);
        dirs.add(cache.resolve(v.directory));
        dirs.add(cache);
        dirs.add(home.resolve("cifar").resolve(v.directory));
        dirs.add(Paths.get("..", "shared", "data", v.directory).toAbsolutePath().normalize());
        String project = System.getProperty("dl4jasync.home");
        if (project != null) {
            Path p = Paths.get(project, "..", "shared", "data", v.directory)
                    .toAbsolutePath()
                    .normalize();
            if (!dirs.contains(p)) {
                dirs.add(p);
            }
        }
        return dirs;
    }

    /** Reads the data set from the first directory of {@link #searchPath} that holds a training file. */
    public static TrainTest load(Variant v, Path dataDir) throws IOException {
        List<Path> searched = searchPath(v, dataDir);
        for (Path dir : searched) {
            List<Path> train = new ArrayList<>();
            for (String f : v.trainFiles()) {
                Path p = dir.resolve(f);
                if (Files.isRegularFile(p)) {
                    train.add(p);
                }
            }
            if (!train.isEmpty()) {
                return read(v, dir, train);
            }
        }
        List<String> expected = v == Variant.CIFAR10
                ? List.of("data_batch_{1..5}.bin (any of them)", "test_batch.bin")
                : List.of("train.bin", "test.bin");
        throw new DataNotFoundException(
                v.title,
                expected,
                searched,
                "get the binary version from "
                        + "https://www.cs.toronto.edu/~kriz/cifar.html, extract it and pass --data-dir DIR/"
                        + v.directory);
    }

    /** Training records in the first directory of {@link #searchPath} that has any, from the file sizes. */
    public static int trainSize(Variant v, Path dataDir) throws IOException {
        for (Path dir : searchPath(v, dataDir)) {
            long records = 0;
            for (String f : v.trainFiles()) {
                Path p = dir.resolve(f);
                if (Files.isRegularFile(p)) {
                    records += Files.size(p) / v.recordBytes();
                }
            }
            if (records > 0) {
                return (int) records;
            }
        }
        return load(v, dataDir).train.count; // throws the not-found error
    }

    private static TrainTest read(Variant v, Path dir, List<Path> trainFiles) throws IOException {
        Path testFile = dir.resolve(v.testFile());
        if (!Files.isRegularFile(testFile)) {
            throw new IOException(testFile + ": test file missing (the training files are in " + dir + ")");
        }
        List<LabeledImages> parts = new ArrayList<>();
        for (Path f : trainFiles) {
            parts.add(readRecords(f, v));
        }
        LabeledImages train = LabeledImages.concat(parts);
        LabeledImages test = readRecords(testFile, v);
        String source = String.format(
                Locale.ROOT,
                "%s from %s (%d of %d training files)",
                v.title,
                dir,
                trainFiles.size(),
                v.trainFiles().size());
        return new TrainTest(train, test, source).withClassNames(classNames(dir.resolve(v.namesFile), v));
    }

    /** The records of one file, checked: a whole number of records, every label in range. */
    public static LabeledImages readRecords(Path file, Variant v) throws IOException {
        long size = Files.size(file);
        int rec = v.recordBytes();
        if (size == 0 || size % rec != 0) {
            throw new IOException(String.format(
                    Locale.ROOT,
                    "%s: %d bytes is not a whole number of %d-byte %s "
                            + "records (%s is not a %s binary file, or it is truncated)",
                    file,
                    size,
                    rec,
                    v.title,
                    size == 0 ? "empty" : size / rec + " records and " + size % rec + " bytes",
                    v.title));
        }
        if (size / rec > Integer.MAX_VALUE / PIXELS) {
            throw new IOException(file + ": " + size / rec + " records are more than this reader holds in memory");
        }
        byte[] raw = Files.readAllBytes(file);
        int n = (int) (size / rec);
        byte[] pixels = new byte[n * PIXELS];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int at = i * rec;
            int label = raw[at + v.labelIndex] & 0xFF;
            if (label >= v.classes) {
                throw new IOException(String.format(
                        Locale.ROOT,
                        "%s: record %d has label %d, outside 0..%d of %s",
                        file,
                        i,
                        label,
                        v.classes - 1,
                        v.title));
            }
            labels[i] = (byte) label;
            System.arraycopy(raw, at + v.labelBytes, pixels, i * PIXELS, PIXELS);
        }
        return new LabeledImages(n, HEIGHT, WIDTH, CHANNELS, v.classes, pixels, labels);
    }

    /** The class names of the names file when present and complete, else "0", "1", …. */
    static List<String> classNames(Path file, Variant v) throws IOException {
        List<String> names = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
        }
        if (names.size() != v.classes) {
            names.clear();
            for (int i = 0; i < v.classes; i++) {
                names.add(String.valueOf(i));
            }
        }
        return names;
    }
}
