package org.dl4jasync.examples.data;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.datavec.api.io.labels.ParentPathLabelGenerator;
import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.split.FileSplit;
import org.datavec.api.writable.Writable;
import org.datavec.image.loader.NativeImageLoader;
import org.datavec.image.recordreader.ImageRecordReader;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A user's own labelled data, read with DataVec into memory: a CSV file (one example per line, the class index in
 * one column) or a directory of images in one folder per class ({@link ImageRecordReader} with
 * {@link ParentPathLabelGenerator}, pixels scaled to [0, 1], features {@code [n, channels, height, width]}).
 * Everything that would make training fail is refused here, before it starts, with one line naming the file and
 * what is wrong ({@link BadDataException}).
 */
public final class OwnData {
    /** Features {@code [n, ...]} and one-hot labels {@code [n, classes]}. */
    public final INDArray features;

    public final INDArray labels;
    public final int classes;
    /** The class names: the image folders' names, or the class indices of a CSV file. */
    public final List<String> classNames;
    /** Where the examples came from, for reports. */
    public final String source;

    private OwnData(INDArray features, INDArray labels, List<String> classNames, String source) {
        this.features = features;
        this.labels = labels;
        this.classes = (int) labels.size(1);
        this.classNames = List.copyOf(classNames);
        this.source = source;
    }

    /** The data a file or directory is refused for: one line, naming it. */
    public static final class BadDataException extends IOException {
        private static final long serialVersionUID = 1L;

        public BadDataException(Path file, String what) {
            super(file + ": " + what);
        }
    }

    /** Examples already in memory (e.g. a built-in data set's). */
    public static OwnData of(INDArray features, INDArray labels, List<String> classNames, String source) {
        if (features.size(0) != labels.size(0) || labels.rank() != 2 || labels.size(1) != classNames.size()) {
            throw new IllegalArgumentException("features of " + features.size(0) + " examples, labels of shape "
                    + Arrays.toString(labels.shape()) + ", " + classNames.size() + " class names");
        }
        return new OwnData(features, labels, classNames, source);
    }

    /** The same examples with flat features {@code [n, f]} (for images: the CHW order of the built-in models). */
    public OwnData flat() {
        return features.rank() == 2
                ? this
                : new OwnData(features.reshape('c', features.size(0), -1).dup(), labels, classNames, source);
    }

    public int count() {
        return (int) features.size(0);
    }

    /** The shape of one example's features, e.g. {@code [12]} or {@code [3, 32, 32]}. */
    public long[] exampleShape() {
        return Arrays.copyOfRange(features.shape(), 1, features.rank());
    }

    /**
     * Reads a CSV file: numbers separated by commas, the class index (an integer in {@code [0, classes)}) in column
     * {@code labelIndex}, every other column a feature; a first line that is not numbers is taken as a header.
     */
    public static OwnData csv(Path file, int labelIndex, int classes) throws IOException {
        readable(file, false);
        if (classes < 2) {
            throw new IllegalArgumentException("--num-classes must be at least 2, got " + classes);
        }
        int skip = hasHeader(file) ? 1 : 0;
        List<double[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int columns = -1;
        try (CSVRecordReader reader = new CSVRecordReader(skip, ',')) {
            initialize(reader, new FileSplit(file.toFile()));
            int line = skip;
            while (reader.hasNext()) {
                List<Writable> record;
                line++;
                try {
                    record = reader.next();
                } catch (RuntimeException e) {
                    throw new BadDataException(file, "line " + line + " cannot be read: " + e.getMessage());
                }
                if (columns < 0) {
                    columns = record.size();
                    if (labelIndex < 0 || labelIndex >= columns) {
                        throw new BadDataException(
                                file,
                                "--label-index " + labelIndex + " is not a column (the " + "file has " + columns
                                        + " columns: 0.." + (columns - 1) + ")");
                    }
                    if (columns < 2) {
                        throw new BadDataException(file, "one column: no features beside the label");
                    }
                } else if (record.size() != columns) {
                    throw new BadDataException(
                            file, "line " + line + " has " + record.size() + " columns, the " + "first has " + columns);
                }
                double[] x = new double[columns - 1];
                for (int c = 0, k = 0; c < columns; c++) {
                    String text = record.get(c).toString().trim();
                    double v;
                    try {
                        v = Double.parseDouble(text);
                    } catch (NumberFormatException e) {
                        throw new BadDataException(
                                file, "line " + line + ", column " + c + ": '" + cut(text) + "' is not a number");
                    }
                    if (c == labelIndex) {
                        if (v != Math.rint(v) || v < 0 || v >= classes) {
                            throw new BadDataException(
                                    file,
                                    "line " + line + ": label " + cut(text) + " is not a " + "class index in 0.."
                                            + (classes - 1) + " (--num-classes " + classes + ")");
                        }
                        labels.add((int) v);
                    } else if (!Double.isFinite(v)) {
                        throw new BadDataException(
                                file, "line " + line + ", column " + c + ": " + text + " is not a finite number");
                    } else {
                        x[k++] = v;
                    }
                }
                rows.add(x);
            }
        }
        if (rows.isEmpty()) {
            throw new BadDataException(file, "no examples");
        }
        INDArray f = Nd4j.create(DataType.FLOAT, rows.size(), columns - 1);
        for (int i = 0; i < rows.size(); i++) {
            f.putRow(i, Nd4j.createFromArray(rows.get(i)).castTo(DataType.FLOAT));
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add(String.valueOf(c));
        }
        return new OwnData(f, oneHot(labels, classes), names, "csv:" + file);
    }

    /**
     * Reads a directory with one folder per class (the folder's name is the class) of images in any format OpenCV
     * reads, resized to {@code height × width} with {@code channels} channels.
     */
    public static OwnData images(Path dir, int height, int width, int channels) throws IOException {
        readable(dir, true);
        if (height < 1 || width < 1 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("--image-size H,W,C: H and W at least 1 and C 1 or 3, got " + height
                    + "," + width + "," + channels);
        }
        List<String> classNames = new ArrayList<>();
        try (var folders = Files.list(dir)) {
            folders.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .forEach(classNames::add);
        }
        if (classNames.size() < 2) {
            throw new BadDataException(
                    dir, "images are read from one folder per class; found " + classNames.size() + " folder(s)");
        }
        FileSplit split = new FileSplit(dir.toFile(), NativeImageLoader.ALLOWED_FORMATS, new Random(0));
        if (split.length() == 0) {
            throw new BadDataException(
                    dir,
                    "no image files (" + String.join(", ", NativeImageLoader.ALLOWED_FORMATS)
                            + ") in its class folders");
        }
        List<INDArray> xs = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        try (ImageRecordReader reader =
                new ImageRecordReader(height, width, channels, new ParentPathLabelGenerator())) {
            initialize(reader, split);
            List<String> readerLabels = reader.getLabels();
            while (reader.hasNext()) {
                List<Writable> record;
                try {
                    record = reader.next();
                } catch (RuntimeException e) {
                    throw new BadDataException(dir, "an image cannot be read: " + cut(String.valueOf(e.getMessage())));
                }
                INDArray image = ((org.datavec.api.writable.NDArrayWritable) record.get(0)).get();
                String label = readerLabels.get(record.get(1).toInt());
                xs.add(image.castTo(DataType.FLOAT).divi(255f));
                ys.add(classNames.indexOf(label));
            }
        } catch (BadDataException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BadDataException(dir, "cannot read the images: " + cut(String.valueOf(e.getMessage())));
        }
        INDArray f = Nd4j.concat(0, xs.toArray(new INDArray[0]));
        return new OwnData(f, oneHot(ys, classNames.size()), classNames, "images:" + dir);
    }

    /** The examples in a seeded random order, the last {@code fraction} of them apart: {training, held out}. */
    public OwnData[] split(double fraction, long seed) {
        int n = count();
        int held = (int) Math.round(n * fraction);
        if (held < 1 || held >= n) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "--test-fraction %s of %d examples " + "leaves no training or no test example",
                    fraction,
                    n));
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return new OwnData[] {
            rows(Arrays.copyOfRange(order, 0, n - held), " (training part)"),
            rows(Arrays.copyOfRange(order, n - held, n), " (held-out " + held + " of " + n + ")")
        };
    }

    private OwnData rows(int[] which, String note) {
        INDArray flat = features.reshape(features.size(0), -1);
        return new OwnData(
                Nd4j.pullRows(flat, 1, which).reshape(concat(which.length, exampleShape())),
                Nd4j.pullRows(labels, 1, which),
                classNames,
                source + note);
    }

    /** Consecutive batches of {@code batch} examples (the last may be smaller), in order. */
    public List<DataSet> batches(int batch) {
        return new DataSet(features, labels).batchBy(batch);
    }

    /** Checks that the test set matches the training set (example shape and classes). */
    public void checkMatches(OwnData test, Path testFile) throws BadDataException {
        if (!Arrays.equals(exampleShape(), test.exampleShape())) {
            throw new BadDataException(
                    testFile,
                    "examples of shape " + Arrays.toString(test.exampleShape()) + ", the training data's are "
                            + Arrays.toString(exampleShape()));
        }
        if (test.classes != classes || !test.classNames.equals(classNames)) {
            throw new BadDataException(
                    testFile, "classes " + test.classNames + ", the training data's are " + classNames);
        }
    }

    private static INDArray oneHot(List<Integer> labels, int classes) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, labels.size(), classes);
        for (int i = 0; i < labels.size(); i++) {
            y.putScalar(i, labels.get(i), 1f);
        }
        return y;
    }

    private static void readable(Path p, boolean directory) throws BadDataException {
        if (!Files.exists(p)) {
            throw new BadDataException(p, "does not exist");
        }
        if (directory != Files.isDirectory(p)) {
            throw new BadDataException(
                    p,
                    directory
                            ? "is not a directory (images:DIR takes a directory of class " + "folders)"
                            : "is a directory, not a CSV file");
        }
        if (!Files.isReadable(p)) {
            throw new BadDataException(p, "cannot be read (permission)");
        }
    }

    /** A first line with a field that is not a number is a header. */
    private static boolean hasHeader(Path file) throws IOException {
        try (var lines = Files.lines(file)) {
            String first = lines.findFirst().orElse("");
            for (String field : first.split(",")) {
                try {
                    Double.parseDouble(field.trim());
                } catch (NumberFormatException e) {
                    return !first.isBlank();
                }
            }
            return false;
        } catch (UncheckedIOException e) {
            throw new BadDataException(file, "is not text: " + e.getCause().getMessage());
        }
    }

    private static void initialize(
            org.datavec.api.records.reader.RecordReader reader, org.datavec.api.split.InputSplit split)
            throws IOException {
        try {
            reader.initialize(split);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while opening the data");
        }
    }

    private static String cut(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }

    private static long[] concat(long first, long[] rest) {
        long[] out = new long[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }
}
