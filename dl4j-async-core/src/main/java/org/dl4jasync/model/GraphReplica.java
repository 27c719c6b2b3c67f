package org.dl4jasync.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** A {@link ComputationGraph} replica: fixed over one buffer, or re-pointable ({@link ReboundGraph}). */
final class GraphReplica extends ModelReplica {
    private final ComputationGraph graph;
    private final int inputs;
    private final int outputs;

    GraphReplica(ComputationGraph graph) {
        super(graph);
        this.graph = graph;
        this.inputs = graph.getNumInputArrays();
        this.outputs = graph.getNumOutputArrays();
    }

    @Override
    public double computeGradient(MultiDataSet batch) {
        if (batch.numFeatureArrays() != inputs || batch.numLabelsArrays() != outputs) {
            throw new IllegalArgumentException("the graph has " + inputs + " inputs and " + outputs + " outputs, "
                    + "the batch " + batch.numFeatureArrays() + " and " + batch.numLabelsArrays());
        }
        graph.setInputs(batch.getFeatures());
        graph.setLabels(batch.getLabels());
        graph.setLayerMaskArrays(batch.getFeaturesMaskArrays(), batch.getLabelsMaskArrays());
        graph.computeGradientAndScore();
        return graph.score();
    }

    @Override
    public INDArray gradient() {
        return graph.getGradientsViewArray();
    }

    @Override
    public INDArray updaterState() {
        return graph.getUpdater().getStateViewArray();
    }

    @Override
    public void useUpdaterState(INDArray state) {
        checkNotRebindable();
        graph.setUpdater(new org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater(graph, state));
    }

    @Override
    public void toUpdate(int iteration, int epoch, int batchSize) {
        graph.getUpdater().update(graph.gradient(), iteration, epoch, batchSize, noWs);
    }
}
