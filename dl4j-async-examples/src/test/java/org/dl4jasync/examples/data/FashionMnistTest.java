package org.dl4jasync.examples.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    @Test
    void embeddedSampleIsTheOfficialTestSetSplit8000To2000() throws IOException {
        TrainTest d = FashionMnist.embedded();
        assertThat(d.train.count).isEqualTo(8000);
        assertThat(d.test.count).isEqualTo(2000);
        assertThat(d.train.height).isEqualTo(28);
        int[] perClass = new int[10];
        for (int i = 0; i < d.test.count; i++) {
            perClass[d.test.label(i)]++;
        }
        for (int c : perClass) {
            assertThat(c).as("every class appears in the test split").isBetween(150, 250);
        }
        // first record of the official t10k set is an ankle boot (class 9)
        assertThat(d.train.label(0)).isEqualTo(9);
    }

    @Test
    void aDataDirWithoutTheFilesNamesWhatWasSearched(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("train-images-idx3-ubyte.gz"), "not enough");
        assertThatThrownBy(() -> FashionMnist.full(dir))
                .isInstanceOf(DataNotFoundException.class)
                .hasMessageContaining("Fashion-MNIST not found")
                .hasMessageContaining("t10k-labels-idx1-ubyte[.gz]")
                .hasMessageContaining(dir.toString());
    }

    @Test
    void defaultSearchPathIsDebianThenHome() {
        assertThat(FashionMnist.searchPath(null))
                .containsExactly(
                        Paths.get("/usr/share/datasets/fashion-mnist"),
                        Paths.get(System.getProperty("user.home"), ".deeplearning4j", "data", "fashion-mnist"));
    }

    @Test
    void readsTheFullDataSetWhenInstalled() throws IOException {
        Path debian = Paths.get("/usr/share/datasets/fashion-mnist");
        assumeTrue(
                Files.isRegularFile(debian.resolve("train-images-idx3-ubyte.gz")),
                "dataset-fashion-mnist not installed");
        TrainTest d = FashionMnist.full(null);
        assertThat(d.train.count).isEqualTo(60000);
        assertThat(d.test.count).isEqualTo(10000);
    }
}
