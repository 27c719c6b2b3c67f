package org.dl4jasync.examples.data;

import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Per-channel standardisation, x ← (x − mean_c) / std_c, with the mean and standard deviation of each colour
 * channel over all pixels of the training set (scaled to [0, 1]), as CIFAR models are usually fed. A DL4J
 * {@link DataSetPreProcessor} on flat channel-major features {@code [batch, channels·height·width]}, so it also
 * fits any other iterator of such batches ({@code iterator.setPreProcessor(standardizer)}). DL4J's own
 * {@code NormalizerStandardize} works per feature (per pixel here), not per channel.
 */
public final class ChannelStandardizer implements DataSetPreProcessor {
    private static final long serialVersionUID = 1L;
    private final int pixelsPerChannel;
    private final double[] mean;
    private final double[] std;

    public ChannelStandardizer(int pixelsPerChannel, double[] mean, double[] std) {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("one mean and one standard deviation per channel");
        }
        for (double s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("standard deviation must be > 0, got " + s);
            }
        }
        this.pixelsPerChannel = pixelsPerChannel;
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** The statistics of {@code images} (exact: sums of the bytes). */
    public static ChannelStandardizer fit(LabeledImages images) {
        int c = images.channels;
        int hw = images.height * images.width;
        long[] sum = new long[c];
        long[] sumSq = new long[c];
        byte[] px = images.pixels;
        for (int i = 0; i < images.count; i++) {
            int base = i * c * hw;
            for (int ch = 0; ch < c; ch++) {
                long s = 0;
                long q = 0;
                for (int k = base + ch * hw, end = k + hw; k < end; k++) {
                    int v = px[k] & 0xFF;
                    s += v;
                    q += (long) v * v;
                }
                sum[ch] += s;
                sumSq[ch] += q;
            }
        }
        double n = (double) images.count * hw;
        double[] mean = new double[c];
        double[] std = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / n;
            double var = Math.max(0, sumSq[ch] / n - m * m);
            mean[ch] = m / 255.0;
            std[ch] = Math.max(Math.sqrt(var) / 255.0, 1e-6); // a constant channel is only centred
        }
        return new ChannelStandardizer(hw, mean, std);
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] std() {
        return std.clone();
    }

    @Override
    public void preProcess(DataSet toPreProcess) {
        INDArray f = toPreProcess.getFeatures();
        if (f.rank() != 2 || f.size(1) != (long) pixelsPerChannel * mean.length) {
            throw new IllegalArgumentException("expected flat features [batch, " + pixelsPerChannel * mean.length
                    + "], got " + Arrays.toString(f.shape()));
        }
        for (int ch = 0; ch < mean.length; ch++) {
            f.get(
                            NDArrayIndex.all(),
                            NDArrayIndex.interval((long) ch * pixelsPerChannel, (long) (ch + 1) * pixelsPerChannel))
                    .subi(mean[ch])
                    .divi(std[ch]);
        }
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "per-channel standardisation (mean %s, std %s)",
                Arrays.toString(mean),
                Arrays.toString(std));
    }
}
