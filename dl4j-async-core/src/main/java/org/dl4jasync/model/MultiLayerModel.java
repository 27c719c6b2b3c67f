package org.dl4jasync.model;

import java.util.List;
import java.util.OptionalDouble;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/** {@link TrainableModel} of a {@link MultiLayerNetwork}. */
final class MultiLayerModel extends NetworkModel<MultiLayerNetwork> {
    private final MultiLayerConfiguration conf;

    MultiLayerModel(MultiLayerNetwork net) {
        super(checked(net), MultiLayerNetwork.class);
        this.conf = net.getLayerWiseConfigurations();
    }

    private static MultiLayerNetwork checked(MultiLayerNetwork net) {
        if (!net.isInitCalled()
                || net.getLayers() == null
                || net.params() == null
                || net.params().length() == 0) {
            throw new IllegalArgumentException("the network is not initialised: call net.init() before training it");
        }
        Models.checkNoConstraints(net.getLayers());
        return net;
    }

    /** Its configuration is a clone, so iteration counters are not shared with the original network. */
    @Override
    MultiLayerNetwork over(INDArray params) {
        MultiLayerNetwork n = new MultiLayerNetwork(conf.clone());
        n.init(params, false); // views params; never close() it: that frees params
        NativeHelpers.copy(net, n); // computes as the network does
        return n;
    }

    @Override
    public Replica newReplica(INDArray params) {
        return new MultiLayerNetworkReplica(over(params));
    }

    @Override
    public Replica newRebindableReplica(INDArray params) {
        ReboundNetwork r = new ReboundNetwork(conf, params);
        NativeHelpers.copy(net, r);
        return new MultiLayerNetworkReplica(r);
    }

    @Override
    public void checkRebindable() {
        new ReboundNetwork(conf, net.params().dup()); // throws, saying why, when it cannot be re-pointed
    }

    @Override
    double accuracy(MultiLayerNetwork n, MultiDataSetIterator data) {
        return Models.accuracyOf(n, data);
    }

    @Override
    double score(MultiLayerNetwork n, MultiDataSet sample) {
        // a view of the sample's arrays, read at every score as the graph's scorer reads them
        return n.score(
                new DataSet(
                        sample.getFeatures(0),
                        sample.getLabels(0),
                        sample.getFeaturesMaskArray(0),
                        sample.getLabelsMaskArray(0)),
                false);
    }

    @Override
    void showBatch(MultiDataSet batch) {
        net.setInput(batch.getFeatures(0));
        net.setLabels(batch.getLabels(0));
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
        MultiLayerConfiguration c = conf.clone();
        c.setIterationCount(iteration);
        c.setEpochCount(epoch);
        return c.toJson();
    }

    @Override
    public void restore(INDArray params, INDArray updaterState, String configurationJson) {
        net.params().assign(params);
        if (updaterState != null) {
            net.getUpdater().setStateViewArray(net, updaterState, false);
        }
        MultiLayerConfiguration saved = MultiLayerConfiguration.fromJson(configurationJson);
        net.setIterationCount(saved.getIterationCount());
        net.setEpochCount(saved.getEpochCount());
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
        net.setIterationCount(iteration);
        net.setEpochCount(epoch);
    }
}
