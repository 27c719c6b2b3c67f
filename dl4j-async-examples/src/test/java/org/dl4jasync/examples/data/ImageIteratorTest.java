package org.dl4jasync.examples.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class ImageIteratorTest {
    private static final int H = 6;
    private static final int W = 5;
    private static final int C = 3;

    /** {@code n} random images of 3×6×5 with labels i % 4. */
    private static LabeledImages images(int n, long seed) {
        Random r = new Random(seed);
        byte[] px = new byte[n * C * H * W];
        r.nextBytes(px);
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 4);
        }
        return new LabeledImages(n, H, W, C, 4, px, labels);
    }

    private static List<DataSet> epoch(ImageIterator it) {
        List<DataSet> out = new ArrayList<>();
        while (it.hasNext()) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void batchesInRecordOrderScaledWithOneHotLabels() {
        LabeledImages li = images(10, 1);
        ImageIterator it = ImageIterator.over(li, 4).build();
        List<DataSet> e0 = epoch(it);
        assertThat(e0).extracting(d -> d.getFeatures().size(0)).containsExactly(4L, 4L, 2L);
        assertThat(e0.get(0).getFeatures().shape()).containsExactly(4, C * H * W);
        assertThat(e0.get(0).getLabels().shape()).containsExactly(4, 4);
        assertThat(e0.get(2).getLabels().getFloat(1, 9 % 4)).isEqualTo(1f);
        assertThat(e0.get(0).getFeatures().getFloat(1, 7)).isEqualTo((li.pixels[C * H * W + 7] & 0xFF) / 255f);
        assertThat(it.inputColumns()).isEqualTo(C * H * W);
        assertThat(it.totalOutcomes()).isEqualTo(4);
        it.reset();
        assertThat(it.epoch()).isEqualTo(1);
        assertThat(epoch(it).get(1).getFeatures()).isEqualTo(e0.get(1).getFeatures());
        it.reset();
        it.reset(); // nothing of epoch 2 read yet: not skipped
        assertThat(it.epoch()).isEqualTo(2);
    }

    @Test
    void perChannelStandardisationGivesMeanZeroAndUnitVariancePerChannel() {
        LabeledImages li = images(50, 2);
        ChannelStandardizer s = ChannelStandardizer.fit(li);
        INDArray all =
                Nd4j.vstack(epoch(ImageIterator.over(li, 16).preProcessor(s).build()).stream()
                        .map(DataSet::getFeatures)
                        .toArray(INDArray[]::new));
        for (int c = 0; c < C; c++) {
            INDArray channel = all.get(
                    org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(c * H * W, (c + 1) * H * W));
            assertThat(channel.meanNumber().doubleValue())
                    .as("mean of channel %d", c)
                    .isBetween(-1e-4, 1e-4);
            assertThat(channel.stdNumber().doubleValue())
                    .as("std of channel %d", c)
                    .isBetween(0.99, 1.01);
        }
        // uniform random bytes: mean about 127.5/255, std about 73.9/255
        assertThat(s.mean()[0]).isBetween(0.45, 0.55);
        assertThat(s.std()[1]).isBetween(0.26, 0.32);
    }

    @Test
    void augmentationAndShuffleAreAFunctionOfSeedAndEpoch() {
        LabeledImages li = images(12, 3);
        ImageIterator a = ImageIterator.over(li, 5)
                .shuffle(7)
                .augment(ImageIterator.Augmentation.STANDARD, 7)
                .build();
        ImageIterator b = ImageIterator.over(li, 5)
                .shuffle(7)
                .augment(ImageIterator.Augmentation.STANDARD, 7)
                .build();
        ImageIterator other = ImageIterator.over(li, 5)
                .shuffle(8)
                .augment(ImageIterator.Augmentation.STANDARD, 8)
                .build();
        List<DataSet> a0 = epoch(a);
        List<DataSet> b0 = epoch(b);
        List<DataSet> o0 = epoch(other);
        for (int i = 0; i < a0.size(); i++) {
            assertThat(b0.get(i).getFeatures()).isEqualTo(a0.get(i).getFeatures());
            assertThat(b0.get(i).getLabels()).isEqualTo(a0.get(i).getLabels());
        }
        assertThat(o0.get(0).getFeatures())
                .as("another seed")
                .isNotEqualTo(a0.get(0).getFeatures());
        a.reset();
        b.reset();
        List<DataSet> a1 = epoch(a);
        assertThat(a1.get(0).getFeatures())
                .as("another epoch")
                .isNotEqualTo(a0.get(0).getFeatures());
        assertThat(epoch(b).get(0).getFeatures()).isEqualTo(a1.get(0).getFeatures());
    }

    @Test
    void augmentedImagesAreShiftedCropsOfThePaddedImageOrTheirMirrors() {
        LabeledImages li = images(8, 4);
        int pad = 2;
        ImageIterator it = ImageIterator.over(li, 8)
                .augment(new ImageIterator.Augmentation(pad, true), 5)
                .build();
        DataSet d = it.next();
        int flipped = 0;
        for (int i = 0; i < 8; i++) {
            float[] out = d.getFeatures().getRow(i).toFloatVector();
            boolean found = false;
            for (int flip = 0; flip < 2 && !found; flip++) {
                for (int oy = 0; oy <= 2 * pad && !found; oy++) {
                    for (int ox = 0; ox <= 2 * pad && !found; ox++) {
                        if (matches(li, i, out, oy - pad, ox - pad, flip == 1)) {
                            found = true;
                            flipped += flip;
                        }
                    }
                }
            }
            assertThat(found)
                    .as("image %d is a crop of the padded image, maybe mirrored", i)
                    .isTrue();
        }
        assertThat(d.getLabels().argMax(1).toIntVector()).containsExactly(0, 1, 2, 3, 0, 1, 2, 3);
        assertThat(flipped).as("some images mirrored, some not").isBetween(1, 7);
    }

    /** out(c, y, x) = in(c, y + dy, x' + dx) with x' = W−1−x when flipped, 0 outside. */
    private static boolean matches(LabeledImages li, int record, float[] out, int dy, int dx, boolean flip) {
        int base = record * C * H * W;
        for (int c = 0; c < C; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int sy = y + dy;
                    int sx = (flip ? W - 1 - x : x) + dx;
                    float expected = sy < 0 || sy >= H || sx < 0 || sx >= W
                            ? 0f
                            : (li.pixels[base + c * H * W + sy * W + sx] & 0xFF) / 255f;
                    if (out[c * H * W + y * W + x] != expected) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
