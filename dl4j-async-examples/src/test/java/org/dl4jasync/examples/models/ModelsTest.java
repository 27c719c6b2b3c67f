package org.dl4jasync.examples.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ModelsTest {

    private static MultiLayerNetwork init(org.deeplearning4j.nn.conf.MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void lenetTakesFashionMnistAndCifarShapes() {
        MultiLayerNetwork gray = init(Models.lenet(28, 28, 1, 10, Models.sgd(0.01, 0.5), 1));
        MultiLayerNetwork rgb = init(Models.lenet(32, 32, 3, 10, Models.sgd(0.01, 0.5), 1));
        // conv 6·(5·5·c)+6, conv 16·(5·5·6)+16, dense 400·120+120, 120·84+84, 84·10+10
        assertThat(gray.numParams()).isEqualTo(156 + 2416 + 48120 + 10164 + 850);
        assertThat(rgb.numParams()).isEqualTo(456 + 2416 + 48120 + 10164 + 850);
        assertThat(gray.output(Nd4j.rand(2, 784)).shape()).containsExactly(2, 10);
        assertThat(rgb.output(Nd4j.rand(2, 3 * 32 * 32)).shape()).containsExactly(2, 10);
    }

    @Test
    void mlpIsThreeLayersOf128() {
        MultiLayerNetwork mlp = init(Models.mlp(784, 10, Models.sgd(0.01, 0), 1));
        assertThat(mlp.getnLayers()).isEqualTo(4);
        assertThat(mlp.numParams()).isEqualTo(784 * 128 + 128 + 2 * (128 * 128 + 128) + 128 * 10 + 10);
    }

    @Test
    void updaterArgumentsAreValidated() {
        assertThatThrownBy(() -> Models.sgd(0, 0.5)).hasMessageContaining("learning rate must be > 0");
        assertThatThrownBy(() -> Models.sgd(0.1, 1.0)).hasMessageContaining("momentum must be in [0, 1)");
    }
}
