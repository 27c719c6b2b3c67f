package org.dl4jasync.metrics;

import java.util.function.Consumer;
import org.dl4jasync.model.TrainableModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * The loss of the current parameters on a held-out sample: accurate, but each reading costs a forward pass over the
 * sample (and, for the locked and CAS-published stores, a copy of the parameters). The alternative to
 * {@link EmaLossMonitor} for controllers that read the loss only at phase boundaries; composed by the run from
 * {@code RunOptions.lossMonitor(LossSignal.EVAL)} and the held-out sample.
 *
 * <p>Readings are serialised ({@code synchronized}: controllers read at phase boundaries, rarely); the scorer is
 * private to this monitor.
 *
 * <p><b>Extension interface</b> (not needed to train with the built-in algorithms): a {@link LossMonitor} for a controller of one's own; the built-in runs compose it from the configuration. See DESIGN.md,
 * "Public API".
 */
public final class HeldOutLossMonitor implements LossMonitor {
    private final TrainableModel model;
    private final MultiDataSet sample;
    private final Consumer<INDArray> latestParams;
    private TrainableModel.Scorer scorer;

    /**
     * @param model        the trained model
     * @param sample       held-out examples (not used for training), detached from any workspace
     * @param latestParams copies the current parameters into its argument (the run's store)
     */
    public HeldOutLossMonitor(TrainableModel model, MultiDataSet sample, Consumer<INDArray> latestParams) {
        if (sample == null || sample.getFeatures(0).size(0) == 0) {
            throw new IllegalArgumentException("the held-out sample is empty");
        }
        this.model = model;
        this.sample = sample;
        this.latestParams = latestParams;
    }

    @Override
    public synchronized double loss() {
        if (scorer == null) {
            scorer = model.newScorer(sample);
        }
        return scorer.loss(latestParams);
    }
}
