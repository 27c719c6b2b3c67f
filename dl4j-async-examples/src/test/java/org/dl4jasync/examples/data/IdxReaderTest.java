package org.dl4jasync.examples.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    static byte[] images(int count, int rows, int cols) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x803);
        out.writeInt(count);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int i = 0; i < count * rows * cols; i++) {
            out.writeByte(i % 256);
        }
        return bytes.toByteArray();
    }

    static byte[] labels(int... values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x801);
        out.writeInt(values.length);
        for (int v : values) {
            out.writeByte(v);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(raw);
        }
        return bytes.toByteArray();
    }

    @Test
    void readsRawAndGzippedFilesAlike(@TempDir Path dir) throws IOException {
        byte[] raw = images(3, 2, 5);
        Path plain = Files.write(dir.resolve("a"), raw);
        Path packed = Files.write(dir.resolve("b"), gzip(raw));
        for (Path p : new Path[] {plain, packed}) {
            IdxReader.Images im = IdxReader.readImages(p);
            assertThat(im.count).isEqualTo(3);
            assertThat(im.rows).isEqualTo(2);
            assertThat(im.cols).isEqualTo(5);
            assertThat(im.pixel(2, 9)).isEqualTo(29);
        }
        assertThat(IdxReader.readLabels(new ByteArrayInputStream(gzip(labels(7, 0, 9))), "l"))
                .containsExactly(7, 0, 9);
    }

    @Test
    void rejectsWrongMagicAndTruncation() throws IOException {
        assertThatThrownBy(() -> IdxReader.readImages(new ByteArrayInputStream(labels(1, 2)), "x.idx"))
                .hasMessageContaining("x.idx: not an IDX image file");
        byte[] cut = java.util.Arrays.copyOf(images(4, 3, 3), 30);
        assertThatThrownBy(() -> IdxReader.readImages(new ByteArrayInputStream(cut), "cut"))
                .hasMessageContaining("cut: truncated IDX file");
    }

    @Test
    void labeledImagesBatchScaledPixelsAndOneHotLabels() throws IOException {
        IdxReader.Images im = IdxReader.readImages(new ByteArrayInputStream(images(5, 2, 2)), "i");
        LabeledImages li = LabeledImages.fromIdx(im, new byte[] {0, 1, 2, 3, 4}, 10);
        var batches = li.batches(2);
        assertThat(batches).hasSize(3);
        assertThat(batches.get(2).numExamples()).isEqualTo(1);
        assertThat(batches.get(0).getFeatures().getDouble(1, 3))
                .isEqualTo(7 / 255.0, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(batches.get(1).getLabels().getDouble(1, 3)).isEqualTo(1.0);
        assertThat(batches.get(1).getLabels().sumNumber().doubleValue()).isEqualTo(2.0);
    }
}
