package org.dl4jasync.parameters;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.testing.TinyNets;

final class StoreTestSupport {
    private StoreTestSupport() {}

    /** A tiny network whose parameters are all zero, so applied integer updates sum exactly. */
    static MultiLayerNetwork zeroNet() {
        MultiLayerNetwork net = TinyNets.net(1);
        net.params().assign(0);
        return net;
    }

    static ParameterStore store(ParameterStore.Kind kind, MultiLayerNetwork net, int workers, int persistence) {
        return ParameterStore.create(kind, net, workers, persistence);
    }
}
