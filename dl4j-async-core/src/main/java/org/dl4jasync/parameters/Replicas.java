package org.dl4jasync.parameters;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Creation of worker replicas. */
final class Replicas {
    private Replicas() {
    }

    /**
     * A replica whose parameters are {@code params} itself (no copy). Its configuration is a clone, so iteration
     * counters are not shared with the original network. Never {@code close()} it: that frees {@code params}.
     */
    static MultiLayerNetwork viewing(MultiLayerConfiguration conf, INDArray params) {
        MultiLayerNetwork replica = new MultiLayerNetwork(conf.clone());
        replica.init(params, false);
        return replica;
    }
}
