package org.dl4jasync.trainer;

import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * What a checkpoint remembers of its training data, to refuse a resume on other data that happens to have as many
 * batches: the number of batches and examples, and a CRC-32 of the first and the last batch (every feature, label
 * and mask value, in order). Cheap (two batches read), and it tells apart other files, another split, another
 * batch size or another normalisation. Data that is streamed ({@code DataMode.PREFETCH}, e.g. augmented) has no
 * fingerprint: only its mode is compared.
 */
final class DataFingerprint {
    private DataFingerprint() {}

    /** The fingerprint of in-memory batches, e.g. {@code batches 3750, examples 60000, first 1a2b3c4d, last ...}. */
    static String of(List<? extends MultiDataSet> batches) {
        if (batches.isEmpty()) {
            return "batches 0"; // the batch source says what is wrong with that
        }
        long examples = 0;
        for (MultiDataSet b : batches) {
            examples += b.getFeatures(0).size(0);
        }
        return String.format(
                Locale.ROOT,
                "batches %d, examples %d, first %08x, last %08x",
                batches.size(),
                examples,
                crc(batches.get(0)),
                crc(batches.get(batches.size() - 1)));
    }

    private static long crc(MultiDataSet b) {
        CRC32 c = new CRC32();
        for (INDArray[] arrays : List.of(
                b.getFeatures(), b.getLabels(), masks(b.getFeaturesMaskArrays()), masks(b.getLabelsMaskArrays()))) {
            for (INDArray a : arrays) {
                if (a != null) {
                    for (long d : a.shape()) {
                        update(c, (int) d);
                    }
                    for (double v : a.dup('c').data().asDouble()) {
                        update(c, Float.floatToIntBits((float) v));
                    }
                }
            }
        }
        return c.getValue();
    }

    private static INDArray[] masks(INDArray[] m) {
        return m == null ? new INDArray[0] : m;
    }

    private static void update(CRC32 c, int v) {
        c.update(v >>> 24);
        c.update(v >>> 16);
        c.update(v >>> 8);
        c.update(v);
    }
}
