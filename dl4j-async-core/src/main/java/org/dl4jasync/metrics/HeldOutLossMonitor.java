package org.dl4jasync.metrics;

import java.util.function.Consumer;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The loss of the current parameters on a held-out sample: accurate, but each reading costs a forward pass over the
 * sample (and, for the locked and CAS-published stores, a copy of the parameters). The alternative to
 * {@link EmaLossMonitor} for controllers that read the loss only at phase boundaries.
 *
 * <p>Readings are serialised ({@code synchronized}: controllers read at phase boundaries, rarely); the scoring
 * network is private to this monitor.
 */
public final class HeldOutLossMonitor implements LossMonitor {
    private final MultiLayerConfiguration conf;
    private final DataSet sample;
    private final Consumer<INDArray> latestParams;
    private MultiLayerNetwork scorer;

    /**
     * @param conf         the trained network's configuration
     * @param sample       held-out examples (not used for training), detached from any workspace
     * @param latestParams copies the current parameters into its argument (e.g. {@code AsyncTrainer::copyLatestParams})
     */
    public HeldOutLossMonitor(MultiLayerConfiguration conf, DataSet sample, Consumer<INDArray> latestParams) {
        if (sample == null || sample.numExamples() == 0) {
            throw new IllegalArgumentException("the held-out sample is empty");
        }
        this.conf = conf.clone();
        this.sample = sample;
        this.latestParams = latestParams;
    }

    @Override
    public synchronized double loss() {
        if (scorer == null) {
            scorer = new MultiLayerNetwork(conf.clone());
            scorer.init();
        }
        latestParams.accept(scorer.params());
        double s = scorer.score(sample, false);
        return Double.isFinite(s) ? s : Double.NaN;
    }
}
