package org.dl4jasync.examples.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST (images: magic 0x00000803, labels: 0x00000801), gzip-compressed
 * or raw; compression is detected from the content, not the file name.
 */
public final class IdxReader {
    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /** Images as unsigned bytes, row-major, {@code count × rows × cols}. */
    public static final class Images {
        public final int count;
        public final int rows;
        public final int cols;
        public final byte[] pixels;

        Images(int count, int rows, int cols, byte[] pixels) {
            this.count = count;
            this.rows = rows;
            this.cols = cols;
            this.pixels = pixels;
        }

        public int pixel(int image, int index) {
            return pixels[image * rows * cols + index] & 0xFF;
        }
    }

    public static Images readImages(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readImages(in, file.toString());
        }
    }

    public static byte[] readLabels(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readLabels(in, file.toString());
        }
    }

    public static Images readImages(InputStream raw, String name) throws IOException {
        DataInputStream in = new DataInputStream(decompressed(raw));
        int magic = in.readInt();
        if (magic != IMAGES_MAGIC) {
            throw new IOException(name + ": not an IDX image file (magic 0x" + Integer.toHexString(magic)
                    + ", expected 0x803)");
        }
        int count = in.readInt();
        int rows = in.readInt();
        int cols = in.readInt();
        if (count < 0 || rows <= 0 || cols <= 0 || (long) count * rows * cols > Integer.MAX_VALUE) {
            throw new IOException(name + ": bad IDX image header " + count + "×" + rows + "×" + cols);
        }
        byte[] pixels = new byte[count * rows * cols];
        readFully(in, pixels, name);
        return new Images(count, rows, cols, pixels);
    }

    public static byte[] readLabels(InputStream raw, String name) throws IOException {
        DataInputStream in = new DataInputStream(decompressed(raw));
        int magic = in.readInt();
        if (magic != LABELS_MAGIC) {
            throw new IOException(name + ": not an IDX label file (magic 0x" + Integer.toHexString(magic)
                    + ", expected 0x801)");
        }
        int count = in.readInt();
        if (count < 0) {
            throw new IOException(name + ": bad IDX label count " + count);
        }
        byte[] labels = new byte[count];
        readFully(in, labels, name);
        return labels;
    }

    private static void readFully(DataInputStream in, byte[] into, String name) throws IOException {
        try {
            in.readFully(into);
        } catch (EOFException e) {
            throw new IOException(name + ": truncated IDX file (expected " + into.length + " data bytes)", e);
        }
    }

    private static InputStream decompressed(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return in;
    }
}
