package org.dl4jasync.model;

import java.util.IdentityHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a {@link MultiLayerNetworkReplica} and a {@link GraphReplica} share: the network, fixed over one buffer or
 * re-pointable ({@link Rebindable}), with its views per buffer seen.
 */
abstract class ModelReplica implements Replica {
    /** The replica's network: DL4J's own class, or its {@link Rebindable} subclass. */
    private final Model net;
    /** The same network when re-pointable, else null. */
    private final Rebindable rebound;
    /** Views per buffer seen, made on first use (the CAS-published store has at most 3m + 1 buffers). */
    private final Map<INDArray, ParameterViews.Binding> bindings;

    final LayerWorkspaceMgr noWs = LayerWorkspaceMgr.noWorkspaces();

    ModelReplica(Model net) {
        this.net = net;
        this.rebound = net instanceof Rebindable ? (Rebindable) net : null;
        this.bindings = rebound == null ? null : new IdentityHashMap<>();
    }

    /** The replica's network (tests). */
    Model network() {
        return net;
    }

    @Override
    public final void bind(INDArray params) {
        if (rebound == null) {
            if (params.data().address() != net.params().data().address()) {
                throw new IllegalStateException("this replica views one buffer only");
            }
            return;
        }
        ParameterViews.Binding b = bindings.get(params);
        if (b == null) {
            b = rebound.bindingFor(params);
            bindings.put(params, b);
        }
        rebound.bind(b);
    }

    /** Throws when the replica is re-pointable: its {@link ParameterViews} hold its updater's views. */
    final void checkNotRebindable() {
        if (rebound != null) {
            throw new UnsupportedOperationException("a re-pointable replica keeps its own updater");
        }
    }

    @Override
    public final INDArray params() {
        return net.params();
    }

    @Override
    public final Model model() {
        return net;
    }

    @Override
    public final void listen(TrainingListener relay) {
        net.setListeners(relay);
    }
}
