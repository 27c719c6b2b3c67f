package org.dl4jasync.examples.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dl4jasync.examples.cli.CapturedConsole;
import org.dl4jasync.examples.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupt Fashion-MNIST files are refused as CIFAR's are: exit 2 and one line naming the file and what is wrong.
 * Before: a count mismatch, label 200, zero images or test images of another size ended in exit 1 with a stack
 * trace, a header announcing 2³¹ − 1 images in an OutOfMemoryError, an empty file in "cannot read the data set: null".
 */
class IdxValidationTest {
    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    private static void write(Path dir, byte[] trainImages, byte[] trainLabels, byte[] testImages, byte[] testLabels)
            throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), trainImages);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), trainLabels);
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), testImages);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), testLabels);
    }

    private static byte[] header(int... ints) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (int v : ints) {
            out.writeInt(v);
        }
        return bytes.toByteArray();
    }

    private void assertRefused(Path dir, String... inMessage) {
        int code = Main.run(
                "train", "--dataset", "fashion-mnist", "--data-dir", dir.toString(), "--max-steps", "5", "--quiet");
        assertThat(code).as(console.err()).isEqualTo(2);
        assertThat(console.err().strip().lines()).as(console.err()).hasSize(1);
        assertThat(console.err()).contains(inMessage).doesNotContain("Exception");
    }

    private static byte[] labels(int n, int value) throws IOException {
        int[] v = new int[n];
        java.util.Arrays.fill(v, value);
        return IdxReaderTest.labels(v);
    }

    @Test
    void moreImagesThanLabels(@TempDir Path dir) throws IOException {
        write(dir, IdxReaderTest.images(20, 28, 28), labels(19, 1), IdxReaderTest.images(5, 28, 28), labels(5, 1));
        assertRefused(dir, "train-images-idx3-ubyte", "20 images but 19 labels");
    }

    @Test
    void aLabelThatIsNoClass(@TempDir Path dir) throws IOException {
        write(dir, IdxReaderTest.images(20, 28, 28), labels(20, 200), IdxReaderTest.images(5, 28, 28), labels(5, 1));
        assertRefused(dir, "train-labels-idx1-ubyte", "label 200");
    }

    @Test
    void aHeaderThatAnnouncesTwoBillionImages(@TempDir Path dir) throws IOException {
        byte[] lying = header(0x803, Integer.MAX_VALUE / 784, 28, 28); // no data follows
        write(dir, lying, labels(20, 1), IdxReaderTest.images(5, 28, 28), labels(5, 1));
        assertRefused(dir, "train-images-idx3-ubyte", "truncated");
    }

    @Test
    void zeroImages(@TempDir Path dir) throws IOException {
        write(dir, IdxReaderTest.images(0, 28, 28), labels(0, 1), IdxReaderTest.images(5, 28, 28), labels(5, 1));
        assertRefused(dir, "train-images-idx3-ubyte", "no images");
    }

    @Test
    void testImagesOfAnotherSize(@TempDir Path dir) throws IOException {
        write(dir, IdxReaderTest.images(20, 28, 28), labels(20, 1), IdxReaderTest.images(5, 10, 10), labels(5, 1));
        assertRefused(dir, "t10k-images-idx3-ubyte", "10×10");
    }

    @Test
    void anEmptyFile(@TempDir Path dir) throws IOException {
        write(dir, new byte[0], labels(20, 1), IdxReaderTest.images(5, 28, 28), labels(5, 1));
        assertRefused(dir, "train-images-idx3-ubyte", "empty or truncated IDX header");
    }
}
