package org.dl4jasync.model;

import java.util.List;
import java.util.OptionalDouble;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * {@link TrainableModel} of a {@link ComputationGraph}: residual and multi-input/-output networks, most of DL4J's
 * model zoo. The same as {@link MultiLayerModel} but for DL4J's graph API: replicas are graphs over the shared flat
 * vector with each worker's own graph updater; batches have one array per graph input and output.
 */
final class GraphModel extends NetworkModel<ComputationGraph> {
    private final ComputationGraphConfiguration conf;

    GraphModel(ComputationGraph graph) {
        super(checked(graph), ComputationGraph.class);
        this.conf = graph.getConfiguration();
    }

    private static ComputationGraph checked(ComputationGraph graph) {
        if (graph.getLayers() == null
                || graph.params() == null
                || graph.params().length() == 0) {
            throw new IllegalArgumentException("the graph is not initialised: call graph.init() before training it");
        }
        Models.checkNoConstraints(graph.getLayers());
        return graph;
    }

    /** Its configuration is a clone, so iteration counters are not shared with the original graph. */
    @Override
    ComputationGraph over(INDArray params) {
        ComputationGraph g = new ComputationGraph(conf.clone());
        g.init(params, false); // views params; never close() it: that frees params
        NativeHelpers.copy(net, g); // computes as the network does
        return g;
    }

    @Override
    public Replica newReplica(INDArray params) {
        return new GraphReplica(over(params));
    }

    @Override
    public Replica newRebindableReplica(INDArray params) {
        ReboundGraph r = new ReboundGraph(conf, params);
        NativeHelpers.copy(net, r);
        return new GraphReplica(r);
    }

    @Override
    public void checkRebindable() {
        new ReboundGraph(conf, net.params().dup()); // throws, saying why, when it cannot be re-pointed
    }

    @Override
    double accuracy(ComputationGraph g, MultiDataSetIterator data) {
        return Models.accuracyOf(g, data);
    }

    @Override
    double score(ComputationGraph g, MultiDataSet sample) {
        return g.score(sample, false);
    }

    @Override
    void showBatch(MultiDataSet batch) {
        net.setInputs(batch.getFeatures());
        net.setLabels(batch.getLabels());
    }

    @Override
    public OptionalDouble learningRate() {
        return Models.learningRate(net.getLayers());
    }

    @Override
    public List<TrainingListener> listeners() {
        return List.copyOf(net.getListeners());
    }

    @Override
    public int iterationCount() {
        return net.getIterationCount();
    }

    @Override
    public int epochCount() {
        return net.getEpochCount();
    }

    @Override
    public String configurationJson(int iteration, int epoch) {
        ComputationGraphConfiguration c = conf.clone();
        c.setIterationCount(iteration);
        c.setEpochCount(epoch);
        return c.toJson();
    }

    @Override
    public void restore(INDArray params, INDArray updaterState, String configurationJson) {
        net.params().assign(params);
        if (updaterState != null) {
            net.getUpdater().setStateViewArray(updaterState);
        }
        ComputationGraphConfiguration saved = ComputationGraphConfiguration.fromJson(configurationJson);
        conf.setIterationCount(saved.getIterationCount());
        conf.setEpochCount(saved.getEpochCount());
    }

    @Override
    public boolean heavyBall() {
        return Models.heavyBall(net.getLayers());
    }

    @Override
    public INDArray updaterState() {
        return net.getUpdater().getStateViewArray();
    }

    @Override
    public void show(double score, int iteration, int epoch) {
        net.setScore(score);
        conf.setIterationCount(iteration);
        conf.setEpochCount(epoch);
    }
}
