package org.dl4jasync.model;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Initialisations DL4J's configuration cannot express. {@link #normal}: every weight and bias from N(0, σ²), as both
 * seed papers' code initialises its networks (MiniDNN's layers: weights and biases from N(0, 0.01²)); DL4J's
 * {@code NormalDistribution} weight init covers weights only, biases stay constant.
 */
public final class Initialisation {
    private Initialisation() {}

    /**
     * Overwrites every layer's weights ({@code W}) and biases ({@code b}) with draws from N(0, std²), seeded, in the
     * network's parameter order; other parameters (batch normalisation's statistics, for example) are left as DL4J
     * initialised them. Call after {@code init()}, before training.
     */
    public static void normal(Model model, double std, long seed) {
        if (!(std > 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("the standard deviation must be positive, got " + std);
        }
        Layer[] layers;
        if (model instanceof MultiLayerNetwork) {
            layers = ((MultiLayerNetwork) model).getLayers();
        } else if (model instanceof ComputationGraph) {
            layers = ((ComputationGraph) model).getLayers();
        } else {
            throw new IllegalArgumentException("a MultiLayerNetwork or a ComputationGraph, got " + model);
        }
        if (layers == null) {
            throw new IllegalArgumentException("the network is not initialised: call init() first");
        }
        long k = 0;
        for (Layer l : layers) {
            Map<String, INDArray> table = l.paramTable(false);
            for (Map.Entry<String, INDArray> e : table.entrySet()) {
                String key = e.getKey();
                if (key.equals(DefaultParamInitializer.WEIGHT_KEY) || key.equals(DefaultParamInitializer.BIAS_KEY)) {
                    INDArray p = e.getValue();
                    // its own stream per parameter array: the draws do not depend on what else uses ND4J's random
                    p.assign(Nd4j.randn(seed * 1_000_003L + k++, p.shape())
                            .castTo(p.dataType())
                            .muli(std));
                }
            }
        }
    }
}
