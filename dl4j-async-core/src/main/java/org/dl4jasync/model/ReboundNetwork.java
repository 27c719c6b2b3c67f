package org.dl4jasync.model;

import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * A replica whose parameters can be re-pointed at another flat buffer without copying, so that a
 * CAS-published reader computes its gradient directly on the snapshot it pinned.
 *
 * <p>DL4J builds a layer's parameter table as views into the network's flat array at {@code init} time and
 * {@link MultiLayerNetwork#setParamsViewArray} is not implemented, so re-pointing replaces the network's flat
 * array and every layer's view and parameter table with views into the new buffer. The views for a buffer are
 * made once ({@link #bindingFor}) and reused: {@link #bind} only swaps references and allocates nothing.
 *
 * <p>Limitation: DL4J's updater keeps its own views of the parameters for L1/L2/weight-decay regularisation,
 * which cannot be re-pointed; networks with regularisation are rejected ({@link #checkRebindable}).
 */
final class ReboundNetwork extends MultiLayerNetwork {

    /** Views of one flat buffer laid out as this network's parameters. */
    static final class Binding {
        final INDArray flat;
        final INDArray[] layerViews;
        final Map<String, INDArray>[] tables;

        private Binding(INDArray flat, INDArray[] layerViews, Map<String, INDArray>[] tables) {
            this.flat = flat;
            this.layerViews = layerViews;
            this.tables = tables;
        }
    }

    ReboundNetwork(MultiLayerConfiguration conf, INDArray initialParams) {
        super(conf.clone());
        init(initialParams, false);
    }

    /** Throws when the configuration cannot be re-pointed safely (see the class comment). */
    static void checkRebindable(MultiLayerConfiguration conf) {
        for (int i = 0; i < conf.getConfs().size(); i++) {
            org.deeplearning4j.nn.conf.layers.Layer layer = conf.getConf(i).getLayer();
            if (layer instanceof BaseLayer) {
                BaseLayer base = (BaseLayer) layer;
                if (nonEmpty(base.getRegularization()) || nonEmpty(base.getRegularizationBias())) {
                    throw new IllegalArgumentException("store LEASHED does not support L1/L2/weight-decay "
                            + "regularisation (layer " + i + " has " + base.getRegularization() + " / "
                            + base.getRegularizationBias() + "): DL4J's updater keeps parameter views that cannot "
                            + "follow the published snapshot; use store HOGWILD or LOCKED, or drop the regularisation");
                }
            }
        }
    }

    private static boolean nonEmpty(List<Regularization> list) {
        return list != null && !list.isEmpty();
    }

    @SuppressWarnings("unchecked")
    Binding bindingFor(INDArray flat) {
        Layer[] ls = getLayers();
        INDArray[] views = new INDArray[ls.length];
        Map<String, INDArray>[] tables = new Map[ls.length];
        long offset = 0;
        for (int i = 0; i < ls.length; i++) {
            long n = ls[i].numParams();
            if (n > 0) {
                NeuralNetConfiguration lc = getLayerWiseConfigurations().getConf(i);
                views[i] = flat.get(NDArrayIndex.interval(offset, offset + n));
                tables[i] = lc.getLayer().initializer().init(lc, views[i], false);
            }
            offset += n;
        }
        for (int i = 0; i < ls.length; i++) {
            if (views[i] != null && views[i].length() != ls[i].numParams()) {
                throw new IllegalStateException("layer " + i + ": view of " + views[i].length() + " for "
                        + ls[i].numParams() + " parameters");
            }
        }
        if (offset != flat.length()) {
            throw new IllegalStateException("buffer of length " + flat.length() + " for a network of " + offset
                    + " parameters");
        }
        return new Binding(flat, views, tables);
    }

    /** Points this replica's parameters at the binding's buffer. Allocation-free. */
    void bind(Binding b) {
        if (flattenedParams == b.flat) {
            return;
        }
        flattenedParams = b.flat;
        Layer[] ls = layers;
        for (int i = 0; i < ls.length; i++) {
            if (b.layerViews[i] != null) {
                // BaseLayer.setParamsViewArray checks the length through numParams(), which iterates the param
                // table (an allocation per call); with the table cleared first the check is skipped. The views
                // were checked once in bindingFor, and the replica is confined to its worker thread.
                ls[i].setParamTable(null);
                ls[i].setParamsViewArray(b.layerViews[i]);
                ls[i].setParamTable(b.tables[i]);
            }
        }
    }
}
