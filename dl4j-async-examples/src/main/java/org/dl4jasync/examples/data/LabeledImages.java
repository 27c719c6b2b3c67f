package org.dl4jasync.examples.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Images with integer labels, held as bytes; turned into DL4J batches with pixels scaled to [0, 1] and one-hot
 * labels. Features are flat rows {@code [batch, channels·height·width]} in channel-major (CHW) order, which the
 * models read through {@code InputType.convolutionalFlat} or directly (MLP).
 */
public final class LabeledImages {
    public final int count;
    public final int height;
    public final int width;
    public final int channels;
    public final int classes;
    /** count × channels × height × width, unsigned; read by {@link ImageIterator}. */
    final byte[] pixels;

    private final byte[] labels;

    public LabeledImages(int count, int height, int width, int channels, int classes, byte[] pixels, byte[] labels) {
        if (pixels.length != (long) count * height * width * channels) {
            throw new IllegalArgumentException("pixel array of " + pixels.length + " bytes for " + count + " images of "
                    + channels + "×" + height + "×" + width);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException(labels.length + " labels for " + count + " images");
        }
        for (byte l : labels) {
            if ((l & 0xFF) >= classes) {
                throw new IllegalArgumentException("label " + (l & 0xFF) + " outside 0.." + (classes - 1));
            }
        }
        this.count = count;
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.classes = classes;
        this.pixels = pixels;
        this.labels = labels;
    }

    public static LabeledImages fromIdx(IdxReader.Images images, byte[] labels, int classes) {
        if (images.count != labels.length) {
            throw new IllegalArgumentException(images.count + " images but " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i] & 0xFF;
            if (l >= classes) {
                throw new IllegalArgumentException(
                        "label " + l + " of image " + i + " is not a class (0.." + (classes - 1) + ")");
            }
        }
        return new LabeledImages(images.count, images.rows, images.cols, 1, classes, images.pixels, labels);
    }

    /** The records of {@code parts} one after the other (same shape and classes). */
    public static LabeledImages concat(List<LabeledImages> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        LabeledImages first = parts.get(0);
        int n = 0;
        for (LabeledImages p : parts) {
            if (p.height != first.height
                    || p.width != first.width
                    || p.channels != first.channels
                    || p.classes != first.classes) {
                throw new IllegalArgumentException("cannot concatenate images of different shapes or classes");
            }
            n += p.count;
        }
        int f = first.features();
        byte[] px = new byte[n * f];
        byte[] lb = new byte[n];
        int at = 0;
        for (LabeledImages p : parts) {
            System.arraycopy(p.pixels, 0, px, at * f, p.count * f);
            System.arraycopy(p.labels, 0, lb, at, p.count);
            at += p.count;
        }
        return new LabeledImages(n, first.height, first.width, first.channels, first.classes, px, lb);
    }

    public int features() {
        return channels * height * width;
    }

    public int label(int i) {
        return labels[i] & 0xFF;
    }

    /** Records {@code [from, to)} as a new set (the bytes are copied). */
    public LabeledImages range(int from, int to) {
        if (from < 0 || to > count || from > to) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") of " + count + " images");
        }
        int f = features();
        byte[] p = Arrays.copyOfRange(pixels, from * f, to * f);
        byte[] l = Arrays.copyOfRange(labels, from, to);
        return new LabeledImages(to - from, height, width, channels, classes, p, l);
    }

    /** Consecutive batches of {@code batchSize} (the last one may be smaller), in record order. */
    public List<DataSet> batches(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        List<DataSet> out = new ArrayList<>();
        int f = features();
        for (int start = 0; start < count; start += batchSize) {
            int n = Math.min(batchSize, count - start);
            float[] x = new float[n * f];
            for (int i = 0; i < n * f; i++) {
                x[i] = (pixels[start * f + i] & 0xFF) / 255f;
            }
            INDArray features = Nd4j.create(x, new long[] {n, f}, DataType.FLOAT);
            INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
            for (int i = 0; i < n; i++) {
                y.putScalar(i, label(start + i), 1f);
            }
            out.add(new DataSet(features, y));
        }
        return out;
    }
}
