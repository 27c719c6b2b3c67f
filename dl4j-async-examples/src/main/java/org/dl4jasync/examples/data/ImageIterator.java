package org.dl4jasync.examples.data;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DL4J {@link DataSetIterator} over {@link LabeledImages}: flat channel-major features scaled to [0, 1], then the
 * pre-processor (e.g. {@link ChannelStandardizer}); one-hot labels. By default the records come in file order and
 * unchanged, every epoch alike. With {@link Builder#shuffle} each epoch visits them in a fresh permutation, and
 * with {@link Builder#augment} each image is randomly cropped from a zero-padded copy and mirrored; both are drawn
 * from the seed and the epoch number only (epoch k of a seed is the same data on every run, whoever consumes it).
 * {@link #reset()} starts the next epoch. Single consumer, as every DL4J iterator.
 */
public final class ImageIterator implements DataSetIterator {
    private static final long serialVersionUID = 1L;
    private final LabeledImages images;
    private final int batch;
    private final List<String> labels;
    private final boolean shuffle;
    private final Augmentation augmentation;
    private final long seed;
    private DataSetPreProcessor preProcessor;
    private int epoch;
    private int position;
    private int[] order;
    private SplittableRandom draws;

    /** Random crop of the image padded by {@code padding} zero pixels on each side, and a horizontal flip (p ½). */
    public record Augmentation(int padding, boolean flip) {
        /** The usual CIFAR augmentation: 4-pixel padding, flips. */
        public static final Augmentation STANDARD = new Augmentation(4, true);

        public Augmentation {
            if (padding < 0) {
                throw new IllegalArgumentException("padding must be >= 0, got " + padding);
            }
        }
    }

    public static Builder over(LabeledImages images, int batch) {
        return new Builder(images, batch);
    }

    public static final class Builder {
        private final LabeledImages images;
        private final int batch;
        private DataSetPreProcessor preProcessor;
        private List<String> labels;
        private boolean shuffle;
        private Augmentation augmentation;
        private long seed;

        private Builder(LabeledImages images, int batch) {
            this.images = Objects.requireNonNull(images, "images");
            if (batch < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batch);
            }
            this.batch = batch;
        }

        /** Applied to every batch (null: none). */
        public Builder preProcessor(DataSetPreProcessor p) {
            this.preProcessor = p;
            return this;
        }

        public Builder labels(List<String> names) {
            this.labels = names;
            return this;
        }

        /** A fresh seeded permutation of the records every epoch. */
        public Builder shuffle(long s) {
            this.shuffle = true;
            this.seed = s;
            return this;
        }

        /** Augments every image, with draws from {@code s} and the epoch. */
        public Builder augment(Augmentation a, long s) {
            this.augmentation = a;
            this.seed = s;
            return this;
        }

        public ImageIterator build() {
            return new ImageIterator(this);
        }
    }

    private ImageIterator(Builder b) {
        this.images = b.images;
        this.batch = b.batch;
        this.labels = b.labels;
        this.shuffle = b.shuffle;
        this.augmentation = b.augmentation;
        this.seed = b.seed;
        this.preProcessor = b.preProcessor;
        startEpoch(0);
    }

    private void startEpoch(int e) {
        epoch = e;
        position = 0;
        // golden-ratio mixing keeps the streams of neighbouring (seed, epoch) pairs apart
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + e);
        order = null;
        if (shuffle) {
            order = new int[images.count];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            for (int i = order.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        draws = r.split();
    }

    /** The epoch being read (0 first; {@link #reset()} advances it). */
    public int epoch() {
        return epoch;
    }

    @Override
    public boolean hasNext() {
        return position < images.count;
    }

    @Override
    public DataSet next() {
        return next(batch);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " has been read; call reset()");
        }
        int n = Math.min(num, images.count - position);
        int f = images.features();
        float[] x = new float[n * f];
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, images.classes);
        for (int i = 0; i < n; i++) {
            int r = order == null ? position + i : order[position + i];
            if (augmentation == null) {
                copyScaled(r, x, i * f);
            } else {
                copyAugmented(r, x, i * f);
            }
            y.putScalar(i, images.label(r), 1f);
        }
        position += n;
        DataSet d = new DataSet(Nd4j.create(x, new long[] {n, f}, DataType.FLOAT), y);
        if (preProcessor != null) {
            preProcessor.preProcess(d);
        }
        return d;
    }

    private void copyScaled(int record, float[] into, int at) {
        int f = images.features();
        byte[] px = images.pixels;
        for (int k = 0, src = record * f; k < f; k++) {
            into[at + k] = (px[src + k] & 0xFF) / 255f;
        }
    }

    /** Output pixel (y, x) = original (y + oy − p, x' + ox − p), x' = W−1−x when flipped; 0 outside the image. */
    private void copyAugmented(int record, float[] into, int at) {
        int p = augmentation.padding();
        int oy = draws.nextInt(2 * p + 1);
        int ox = draws.nextInt(2 * p + 1);
        boolean flip = augmentation.flip() && draws.nextBoolean();
        int h = images.height;
        int w = images.width;
        byte[] px = images.pixels;
        int src = record * images.features();
        for (int c = 0; c < images.channels; c++) {
            int plane = c * h * w;
            for (int yy = 0; yy < h; yy++) {
                int sy = yy + oy - p;
                for (int xx = 0; xx < w; xx++) {
                    int sx = (flip ? w - 1 - xx : xx) + ox - p;
                    into[at + plane + yy * w + xx] =
                            sy < 0 || sy >= h || sx < 0 || sx >= w ? 0f : (px[src + plane + sy * w + sx] & 0xFF) / 255f;
                }
            }
        }
    }

    @Override
    public int inputColumns() {
        return images.features();
    }

    @Override
    public int totalOutcomes() {
        return images.classes;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    /**
     * Starts the next epoch (its own permutation and augmentation draws) once something of the current one was read;
     * on an untouched epoch it does nothing, so the usual {@code reset()} before a pass does not skip one.
     */
    @Override
    public void reset() {
        if (position > 0) {
            startEpoch(epoch + 1);
        }
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor p) {
        this.preProcessor = p;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return labels;
    }
}
