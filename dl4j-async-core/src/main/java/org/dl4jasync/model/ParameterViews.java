package org.dl4jasync.model;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Re-points the parameter views of a network's layers at another flat buffer of the same layout without copying:
 * what lets a CAS-published reader compute on the snapshot it pinned. The same for a {@code MultiLayerNetwork} and a
 * {@code ComputationGraph}: both keep a flat parameter array whose slices are their layers' parameters. The network's
 * own flat-array field is swapped by its subclass ({@link ReboundNetwork}, {@link ReboundGraph}); the layers' views
 * and parameter tables are here.
 *
 * <p>Regularisation (L1/L2, weight decay) follows the bound buffer too, which is why the CAS-published store takes
 * regularised networks: DL4J 1.0.0-M2.1's {@link BaseMultiLayerUpdater#update} treats a network's own gradient as
 * "external" ({@code gradient.gradient()} is not the object it compares with) and so reads the parameters through
 * {@code network.params()} at update time, i.e. the flat array swapped here, not the per-block views it made at
 * creation. {@link #ParameterViews} checks that the network's updater is such an updater; {@code GraphTrainingTest}
 * checks the result (one worker, L2: the CAS-published store trains exactly as HOGWILD!).
 *
 * <p>The views for a buffer are made once ({@link #bindingFor}) and reused: {@link #bind} only swaps references and
 * allocates nothing. Confined to the replica's thread.
 */
final class ParameterViews {

    /** Views of one flat buffer laid out as the network's parameters. */
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

    private final Layer[] layers;
    /** Start of each layer's parameters in the flat layout (−1: none). */
    private final long[] starts;

    private final long length;

    /**
     * @param layers  the network's layers, initialised over {@code flat}
     * @param flat    the flat parameter array they view
     * @param updater the network's updater, or null when it has none
     */
    ParameterViews(Layer[] layers, INDArray flat, Updater updater) {
        this.layers = layers;
        this.length = flat.length();
        this.starts = new long[layers.length];
        long covered = 0;
        for (int i = 0; i < layers.length; i++) {
            long n = layers[i].numParams();
            if (n == 0) {
                starts[i] = -1;
                continue;
            }
            INDArray view = layers[i].params();
            if (view == null || view.data().address() != flat.data().address()) {
                throw new IllegalArgumentException(
                        "layer " + layers[i].conf().getLayer().getLayerName()
                                + " (" + layers[i].getClass().getSimpleName() + ") does not view the network's flat "
                                + "parameters, so its parameters cannot follow the published snapshot; use store HOGWILD "
                                + "or LOCKED");
            }
            starts[i] = view.offset() - flat.offset();
            covered += n;
        }
        if (covered != length) {
            throw new IllegalArgumentException("the network keeps " + (length - covered) + " of its " + length
                    + " parameters outside its layers (e.g. in a graph vertex), which cannot follow the published "
                    + "snapshot; use store HOGWILD or LOCKED");
        }
        if (updater != null && !(updater instanceof BaseMultiLayerUpdater)) {
            throw new IllegalArgumentException("updater " + updater.getClass().getName() + " may keep parameter "
                    + "views this trainer cannot re-point; use store HOGWILD or LOCKED");
        }
    }

    @SuppressWarnings("unchecked")
    Binding bindingFor(INDArray flat) {
        if (flat.length() != length) {
            throw new IllegalStateException(
                    "buffer of length " + flat.length() + " for a network of " + length + " parameters");
        }
        INDArray line = flat.reshape(flat.length());
        INDArray[] views = new INDArray[layers.length];
        Map<String, INDArray>[] tables = new Map[layers.length];
        for (int i = 0; i < layers.length; i++) {
            if (starts[i] >= 0) {
                NeuralNetConfiguration lc = layers[i].conf();
                views[i] = line.get(NDArrayIndex.interval(starts[i], starts[i] + layers[i].numParams()));
                tables[i] = lc.getLayer().initializer().init(lc, views[i], false);
            }
        }
        return new Binding(flat, views, tables);
    }

    /** Points the layers at the binding's buffer. Allocation-free. */
    void bind(Binding b) {
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
