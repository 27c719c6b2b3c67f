package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/** With one worker there is no asynchrony: every store must train exactly like the others. */
class StoreEquivalenceTest {

    @Test
    void oneWorkerGivesIdenticalParametersInEveryStore() {
        List<DataSet> train = TinyNets.blobs(30, 8, 3);
        MultiLayerNetwork reference = null;
        for (ParameterStore.Kind kind : ParameterStore.Kind.values()) {
            MultiLayerNetwork net = TinyNets.net(11);
            new AsyncTrainer.Builder(net).workers(1).store(kind).seed(5).build().fit(TinyNets.iterator(train), 3);
            if (reference == null) {
                reference = net;
            } else {
                assertThat(net.params().sub(reference.params()).amaxNumber().doubleValue())
                        .as(kind.toString())
                        .isZero();
            }
        }
    }
}
