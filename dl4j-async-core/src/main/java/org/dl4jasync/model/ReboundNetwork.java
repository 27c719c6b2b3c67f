package org.dl4jasync.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link MultiLayerNetwork} replica whose parameters can be re-pointed at another flat buffer without copying, so
 * that a CAS-published reader computes its gradient directly on the snapshot it pinned.
 *
 * <p>DL4J builds a layer's parameter table as views into the network's flat array at {@code init} time and
 * {@link MultiLayerNetwork#setParamsViewArray} is not implemented, so re-pointing replaces the network's flat array
 * here and every layer's view, parameter table and updater view through {@link ParameterViews}.
 */
final class ReboundNetwork extends MultiLayerNetwork implements Rebindable {
    private final ParameterViews views;

    ReboundNetwork(MultiLayerConfiguration conf, INDArray initialParams) {
        super(conf.clone());
        init(initialParams, false);
        this.views = new ParameterViews(getLayers(), initialParams, getUpdater());
    }

    @Override
    public ParameterViews.Binding bindingFor(INDArray flat) {
        return views.bindingFor(flat);
    }

    /** Points this replica's parameters at the binding's buffer. Allocation-free. */
    @Override
    public void bind(ParameterViews.Binding b) {
        if (flattenedParams == b.flat) {
            return;
        }
        flattenedParams = b.flat;
        views.bind(b);
    }
}
