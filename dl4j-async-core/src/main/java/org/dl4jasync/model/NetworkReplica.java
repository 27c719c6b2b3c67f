package org.dl4jasync.model;

import java.util.IdentityHashMap;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** A {@link MultiLayerNetwork} replica: fixed over one buffer, or re-pointable ({@link ReboundNetwork}). */
final class NetworkReplica implements Replica {
    private final MultiLayerNetwork net;
    /** The same network when re-pointable, else null. */
    private final ReboundNetwork rebound;
    /** Views per buffer seen, made on first use (the CAS-published store has at most 3m + 1 buffers). */
    private final Map<INDArray, ReboundNetwork.Binding> bindings;
    private final LayerWorkspaceMgr noWs = LayerWorkspaceMgr.noWorkspaces();

    NetworkReplica(MultiLayerNetwork net) {
        this.net = net;
        this.rebound = net instanceof ReboundNetwork ? (ReboundNetwork) net : null;
        this.bindings = rebound == null ? null : new IdentityHashMap<>();
    }

    /** The replica's network (tests). */
    MultiLayerNetwork network() {
        return net;
    }

    @Override
    public void bind(INDArray params) {
        if (rebound == null) {
            if (params.data().address() != net.params().data().address()) {
                throw new IllegalStateException("this replica views one buffer only");
            }
            return;
        }
        ReboundNetwork.Binding b = bindings.get(params);
        if (b == null) {
            b = rebound.bindingFor(params);
            bindings.put(params, b);
        }
        rebound.bind(b);
    }

    @Override
    public INDArray params() {
        return net.params();
    }

    @Override
    public double computeGradient(DataSet ds) {
        net.setInput(ds.getFeatures());
        net.setLabels(ds.getLabels());
        net.setLayerMaskArrays(ds.getFeaturesMaskArray(), ds.getLabelsMaskArray());
        net.computeGradientAndScore();
        return net.score();
    }

    @Override
    public INDArray gradient() {
        return net.getGradientsViewArray();
    }

    @Override
    public INDArray updaterState() {
        return net.getUpdater().getStateViewArray();
    }

    @Override
    public void toUpdate(int iteration, int epoch, int batchSize) {
        net.getUpdater().update(net, net.gradient(), iteration, epoch, batchSize, noWs);
    }
}
