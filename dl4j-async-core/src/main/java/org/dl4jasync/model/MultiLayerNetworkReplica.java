package org.dl4jasync.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** A {@link MultiLayerNetwork} replica: fixed over one buffer, or re-pointable ({@link ReboundNetwork}). */
final class MultiLayerNetworkReplica extends ModelReplica {
    private final MultiLayerNetwork net;

    MultiLayerNetworkReplica(MultiLayerNetwork net) {
        super(net);
        this.net = net;
    }

    @Override
    MultiLayerNetwork network() {
        return net;
    }

    @Override
    public double computeGradient(MultiDataSet batch) {
        if (batch.numFeatureArrays() != 1 || batch.numLabelsArrays() != 1) {
            throw new IllegalArgumentException("a MultiLayerNetwork takes one input and one output, the batch has "
                    + batch.numFeatureArrays() + " inputs and " + batch.numLabelsArrays() + " outputs; train a "
                    + "ComputationGraph for several");
        }
        net.setInput(batch.getFeatures(0));
        net.setLabels(batch.getLabels(0));
        net.setLayerMaskArrays(batch.getFeaturesMaskArray(0), batch.getLabelsMaskArray(0));
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
    public void useUpdaterState(INDArray state) {
        checkNotRebindable();
        net.setUpdater(new org.deeplearning4j.nn.updater.MultiLayerUpdater(net, state));
    }

    @Override
    public void toUpdate(int iteration, int epoch, int batchSize) {
        net.getUpdater().update(net, net.gradient(), iteration, epoch, batchSize, noWs);
    }
}
