package org.dl4jasync.optimizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/** Heavy-ball momentum as a DL4J updater: by hand, against the authors' formula, in a model's JSON, with net.fit. */
class HeavyBallTest {

    private static GradientUpdater<?> updater(HeavyBall hb, int n) {
        return hb.instantiate(Nd4j.zeros(DataType.FLOAT, 1, n), true);
    }

    @Test
    void firstStepIsEtaTimesTheGradientThenMomentumFollows() {
        GradientUpdater<?> u = updater(new HeavyBall(0.1, 0.9), 2);
        INDArray g = Nd4j.createFromArray(1.0f, -2.0f).reshape(1, 2);
        u.applyUpdater(g, 0, 0);
        // v = 0.1·g: the network subtracts 0.1·g (not (1 + μ)·η·g as Nesterov lands it)
        assertThat(g.toFloatVector()).containsExactly(0.1f, -0.2f);
        INDArray g2 = Nd4j.createFromArray(0.0f, 1.0f).reshape(1, 2);
        u.applyUpdater(g2, 1, 0);
        // v = 0.9·(0.1, −0.2) + 0.1·(0, 1) = (0.09, −0.08)
        assertThat(g2.toFloatVector()[0]).isCloseTo(0.09f, org.assertj.core.data.Offset.offset(1e-7f));
        assertThat(g2.toFloatVector()[1]).isCloseTo(-0.08f, org.assertj.core.data.Offset.offset(1e-7f));
    }

    @Test
    void nesterovLandsMoreOfTheGradientAtOnce() {
        INDArray g = Nd4j.createFromArray(1.0f).reshape(1, 1);
        new Nesterovs(0.1, 0.9)
                .instantiate(Nd4j.zeros(DataType.FLOAT, 1, 1), true)
                .applyUpdater(g, 0, 0);
        assertThat(g.getFloat(0)).isCloseTo(0.19f, org.assertj.core.data.Offset.offset(1e-6f)); // (1 + μ)·η
    }

    /**
     * MiniDNN's SGDM (both authors' code: {@code δ_i = (−factor·η·g_i) + μ·δ_i; θ_i += δ_i}) on 200 random gradients
     * against the updater with the network's {@code θ −= update}: the same parameters.
     */
    @Test
    void equalsTheAuthorsFormula() {
        int n = 50;
        float eta = 0.05f;
        float mu = 0.9f;
        Random r = new Random(4);
        float[] theta = new float[n];
        float[] delta = new float[n];
        INDArray ours = Nd4j.zeros(DataType.FLOAT, 1, n);
        GradientUpdater<?> u = updater(new HeavyBall(eta, mu), n);
        for (int step = 0; step < 200; step++) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) {
                g[i] = (float) r.nextGaussian();
                delta[i] = (-1.0f * eta * g[i]) + mu * delta[i];
                theta[i] += delta[i];
            }
            INDArray grad = Nd4j.createFromArray(g).reshape(1, n);
            u.applyUpdater(grad, step, 0);
            ours.subi(grad);
        }
        float[] o = ours.toFloatVector();
        for (int i = 0; i < n; i++) {
            assertThat(o[i]).as("θ[%d]", i).isCloseTo(theta[i], org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    private static MultiLayerConfiguration conf(HeavyBall hb) {
        return new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(hb)
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(TinyNets.IN)
                        .nOut(8)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(8)
                        .nOut(TinyNets.CLASSES)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build();
    }

    @Test
    void serialisesInTheModelsJsonWithSchedules() {
        HeavyBall hb = new HeavyBall(new StepSchedule(ScheduleType.ITERATION, 0.1, 0.5, 10), 0.8);
        MultiLayerConfiguration c = conf(hb);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(c.toJson());
        assertThat(back).isEqualTo(c);
        assertThat(back.toJson()).contains(HeavyBall.class.getName());
    }

    @Test
    void trainsWithNetFitAndSavesItsStateWithTheModel() throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(conf(new HeavyBall(0.1, 0.9)));
        net.init();
        MultiLayerNetwork twin = new MultiLayerNetwork(conf(new HeavyBall(0.1, 0.9)));
        twin.init();
        var data = TinyNets.blobs(10, 8, 1);
        double before = net.score(data.get(0));
        net.fit(TinyNets.iterator(data));
        twin.fit(TinyNets.iterator(data));
        assertThat(net.score(data.get(0))).isLessThan(before);
        assertThat(net.getUpdater().getStateViewArray().amaxNumber().doubleValue())
                .isPositive();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, out, true);
        MultiLayerNetwork restored =
                ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(out.toByteArray()), true);
        restored.fit(TinyNets.iterator(data));
        twin.fit(TinyNets.iterator(data));
        assertThat(restored.params()).isEqualTo(twin.params()); // the velocity came back with the model
    }

    @Test
    void refusesAMomentumOutsideZeroToOne() {
        assertThatThrownBy(() -> new HeavyBall(0.1, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[0, 1)");
    }
}
