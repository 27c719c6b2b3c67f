package org.dl4jasync.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link ComputationGraph} replica whose parameters can be re-pointed at another flat buffer without copying: the
 * graph's counterpart of {@link ReboundNetwork} (a graph's vertices reach their parameters through their layers, so
 * re-pointing the layers, the updater and the flat array is all).
 */
final class ReboundGraph extends ComputationGraph implements Rebindable {
    private final ParameterViews views;

    ReboundGraph(ComputationGraphConfiguration conf, INDArray initialParams) {
        super(conf.clone());
        init(initialParams, false);
        this.views = new ParameterViews(getLayers(), initialParams, getUpdater());
    }

    @Override
    public ParameterViews.Binding bindingFor(INDArray flat) {
        return views.bindingFor(flat);
    }

    @Override
    public void bind(ParameterViews.Binding b) {
        if (flattenedParams == b.flat) {
            return;
        }
        flattenedParams = b.flat;
        views.bind(b);
    }
}
