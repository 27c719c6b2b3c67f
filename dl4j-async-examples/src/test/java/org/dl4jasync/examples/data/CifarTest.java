package org.dl4jasync.examples.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarTest {

    /** {@code n} CIFAR-10 records: record i has label (first + i) % 10 and pixel k = (i + k) % 256. */
    static byte[] cifar10Records(int n, int first) {
        int rec = Cifar.Variant.CIFAR10.recordBytes();
        byte[] b = new byte[n * rec];
        for (int i = 0; i < n; i++) {
            b[i * rec] = (byte) ((first + i) % 10);
            for (int k = 0; k < Cifar.PIXELS; k++) {
                b[i * rec + 1 + k] = (byte) (i + k);
            }
        }
        return b;
    }

    static Path writeCifar10(Path dir, int... recordsPerTrainingFile) throws IOException {
        for (int f = 0; f < recordsPerTrainingFile.length; f++) {
            if (recordsPerTrainingFile[f] > 0) {
                Files.write(
                        dir.resolve("data_batch_" + (f + 1) + ".bin"), cifar10Records(recordsPerTrainingFile[f], f));
            }
        }
        Files.write(dir.resolve("test_batch.bin"), cifar10Records(2, 7));
        return dir;
    }

    @Test
    void readsAnySubsetOfTheTrainingFilesInFileOrder(@TempDir Path dir) throws IOException {
        writeCifar10(dir, 3, 0, 2); // data_batch_1 (3 records) and data_batch_3 (2); 2, 4, 5 absent
        Files.writeString(
                dir.resolve("batches.meta.txt"),
                "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n");
        TrainTest d = Cifar.load(Cifar.Variant.CIFAR10, dir);
        assertThat(d.train.count).isEqualTo(5);
        assertThat(d.test.count).isEqualTo(2);
        assertThat(d.train.channels).isEqualTo(3);
        assertThat(d.train.height).isEqualTo(32);
        assertThat(d.train.features()).isEqualTo(3072);
        assertThat(d.train.label(0)).isEqualTo(0);
        assertThat(d.train.label(2)).isEqualTo(2);
        assertThat(d.train.label(3)).as("first record of data_batch_3").isEqualTo(2);
        assertThat(d.test.label(1)).isEqualTo(8);
        assertThat(d.classNames).hasSize(10).startsWith("airplane").endsWith("truck");
        assertThat(d.source).contains("2 of 5 training files");
        // the record's bytes after the label are the image, channel-major (R plane, G plane, B plane)
        int record = 1;
        assertThat(d.train.pixels[record * 3072]).isEqualTo((byte) 1);
        assertThat(d.train.pixels[record * 3072 + 1024]).as("first green byte").isEqualTo((byte) (1 + 1024));
    }

    @Test
    void cifar100UsesFineLabelsByDefaultAndCoarseOnRequest(@TempDir Path dir) throws IOException {
        int rec = Cifar.Variant.CIFAR100.recordBytes();
        assertThat(rec).isEqualTo(3074);
        byte[] b = new byte[3 * rec];
        for (int i = 0; i < 3; i++) {
            b[i * rec] = (byte) (10 + i); // coarse
            b[i * rec + 1] = (byte) (90 + i); // fine
        }
        Files.write(dir.resolve("train.bin"), b);
        Files.write(dir.resolve("test.bin"), b);
        TrainTest fine = Cifar.load(Cifar.Variant.CIFAR100, dir);
        assertThat(fine.train.classes).isEqualTo(100);
        assertThat(fine.train.label(2)).isEqualTo(92);
        TrainTest coarse = Cifar.load(Cifar.Variant.CIFAR100_COARSE, dir);
        assertThat(coarse.train.classes).isEqualTo(20);
        assertThat(coarse.train.label(2)).isEqualTo(12);
    }

    @Test
    void aFileThatIsNotAWholeNumberOfRecordsIsNamed(@TempDir Path dir) throws IOException {
        writeCifar10(dir, 2);
        byte[] truncated = cifar10Records(2, 0);
        Files.write(dir.resolve("data_batch_2.bin"), java.util.Arrays.copyOf(truncated, truncated.length - 5));
        assertThatThrownBy(() -> Cifar.load(Cifar.Variant.CIFAR10, dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(dir.resolve("data_batch_2.bin").toString())
                .hasMessageContaining("not a whole number of 3073-byte CIFAR-10 records")
                .hasMessageContaining("1 records and 3068 bytes");
    }

    @Test
    void aLabelOutOfRangeIsNamedWithItsRecord(@TempDir Path dir) throws IOException {
        writeCifar10(dir, 3);
        byte[] bad = cifar10Records(3, 0);
        bad[Cifar.Variant.CIFAR10.recordBytes()] = 12; // record 1
        Files.write(dir.resolve("data_batch_1.bin"), bad);
        assertThatThrownBy(() -> Cifar.load(Cifar.Variant.CIFAR10, dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("data_batch_1.bin: record 1 has label 12, outside 0..9");
    }

    @Test
    void aMissingTestFileIsNamed(@TempDir Path dir) throws IOException {
        writeCifar10(dir, 2);
        Files.delete(dir.resolve("test_batch.bin"));
        assertThatThrownBy(() -> Cifar.load(Cifar.Variant.CIFAR10, dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(dir.resolve("test_batch.bin") + ": test file missing");
    }

    @Test
    void noDataListsThePlacesSearchedAndWhereToGetIt(@TempDir Path dir) {
        assertThatThrownBy(() -> Cifar.load(Cifar.Variant.CIFAR10, dir))
                .isInstanceOf(DataNotFoundException.class)
                .hasMessageContaining("CIFAR-10 not found")
                .hasMessageContaining("data_batch_{1..5}.bin")
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("https://www.cs.toronto.edu/~kriz/cifar.html");
        List<Path> defaults = Cifar.searchPath(Cifar.Variant.CIFAR10, null);
        assertThat(defaults.get(0))
                .isEqualTo(Paths.get(
                        System.getProperty("user.home"), ".deeplearning4j", "data", "cifar10", "cifar-10-batches-bin"));
        assertThat(defaults).anyMatch(p -> p.endsWith(Paths.get("shared", "data", "cifar-10-batches-bin")));
    }

    /** The development machine's copy, when present: ../shared/data from the project root. */
    static Path sharedCifar10() {
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path d = p.resolve("shared").resolve("data").resolve("cifar-10-batches-bin");
            if (Files.isRegularFile(d.resolve("test_batch.bin"))) {
                return d;
            }
        }
        return null;
    }

    @Test
    void readsTheSharedCopyWhenPresent() throws IOException {
        Path dir = sharedCifar10();
        assumeTrue(dir != null, "no CIFAR-10 in ../shared/data");
        TrainTest d = Cifar.load(Cifar.Variant.CIFAR10, dir).standardizedPerChannel();
        assertThat(d.train.count % 10_000).isZero();
        assertThat(d.test.count).isEqualTo(10_000);
        assertThat(d.classNames).startsWith("airplane");
        // the channel means of CIFAR-10 are about 0.49, 0.48, 0.45 (R, G, B)
        double[] mean = ((ChannelStandardizer) d.normalizer).mean();
        assertThat(mean[0]).isBetween(0.47, 0.51);
        assertThat(mean[1]).isBetween(0.46, 0.50);
        assertThat(mean[2]).isBetween(0.43, 0.47);
        int[] perClass = new int[10];
        for (int i = 0; i < d.test.count; i++) {
            perClass[d.test.label(i)]++;
        }
        assertThat(perClass).containsOnly(1000);
    }
}
