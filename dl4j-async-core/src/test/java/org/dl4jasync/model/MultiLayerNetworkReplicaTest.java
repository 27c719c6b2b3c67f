package org.dl4jasync.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class MultiLayerNetworkReplicaTest {

    @Test
    void aRebindableReplicaComputesOnTheBufferItIsPointedAt() {
        MultiLayerNetwork net = TinyNets.net(1);
        TrainableModel model = TrainableModel.of(net);
        INDArray a = net.params().dup();
        INDArray b = net.params().dup();
        MultiLayerNetworkReplica r = (MultiLayerNetworkReplica) model.newRebindableReplica(a);
        for (INDArray buffer : new INDArray[] {b, a, b}) {
            r.bind(buffer);
            assertThat(r.params()).isSameAs(buffer);
            // every layer's weights are views of that buffer
            assertThat(r.network().getLayer(0).getParam("W").data().address())
                    .isEqualTo(buffer.data().address());
        }
    }

    @Test
    void aFixedReplicaViewsItsBufferOnly() {
        MultiLayerNetwork net = TinyNets.net(1);
        Replica r = TrainableModel.of(net).newReplica(net.params());
        r.bind(net.params());
        assertThat(r.params().data().address()).isEqualTo(net.params().data().address());
        assertThatThrownBy(() -> r.bind(net.params().dup())).hasMessageContaining("one buffer only");
    }
}
