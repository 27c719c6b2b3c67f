package org.dl4jasync.examples.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
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

    private IdxReader() {}

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
        int magic = header(in, name);
        if (magic != IMAGES_MAGIC) {
            throw new IOException(
                    name + ": not an IDX image file (magic 0x" + Integer.toHexString(magic) + ", expected 0x803)");
        }
        int count = header(in, name);
        int rows = header(in, name);
        int cols = header(in, name);
        if (count <= 0 || rows <= 0 || cols <= 0 || (long) count * rows * cols > Integer.MAX_VALUE - 8) {
            throw new IOException(name + ": bad IDX image header: " + count + " images of " + rows + "×" + cols
                    + (count == 0 ? " (no images)" : ""));
        }
        byte[] pixels = readData(in, (long) count * rows * cols, name);
        return new Images(count, rows, cols, pixels);
    }

    public static byte[] readLabels(InputStream raw, String name) throws IOException {
        DataInputStream in = new DataInputStream(decompressed(raw));
        int magic = header(in, name);
        if (magic != LABELS_MAGIC) {
            throw new IOException(
                    name + ": not an IDX label file (magic 0x" + Integer.toHexString(magic) + ", expected 0x801)");
        }
        int count = header(in, name);
        if (count <= 0) {
            throw new IOException(name + ": bad IDX label count " + count + (count == 0 ? " (no labels)" : ""));
        }
        return readData(in, count, name);
    }

    /** One big-endian int of the header; an empty or cut file says so (not EOFException's null message). */
    private static int header(DataInputStream in, String name) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new IOException(name + ": empty or truncated IDX header", e);
        }
    }

    /**
     * The {@code n} data bytes the header announces, read in chunks: a header that announces more than the file
     * holds ends in "truncated", not in an allocation of what it claims (2³¹ − 1 images: OutOfMemoryError before).
     */
    private static byte[] readData(DataInputStream in, long n, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(n, 1 << 20));
        byte[] chunk = new byte[1 << 16];
        long left = n;
        while (left > 0) {
            int r = in.read(chunk, 0, (int) Math.min(chunk.length, left));
            if (r < 0) {
                throw new IOException(name + ": truncated IDX file (the header announces " + n
                        + " data bytes, the file " + "has " + (n - left) + ")");
            }
            out.write(chunk, 0, r);
            left -= r;
        }
        return out.toByteArray();
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
