package org.dl4jasync.model;

import java.util.List;
import java.util.function.Consumer;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/** {@link TrainableModel} of a {@link MultiLayerNetwork}. */
final class MultiLayerModel implements TrainableModel {
    private final MultiLayerNetwork net;
    /** Made on first use, by the thread holding the listener lock. */
    private ShownUpdate shown;
    private final MultiLayerConfiguration conf;

    MultiLayerModel(MultiLayerNetwork net) {
        if (!net.isInitCalled() || net.getLayers() == null || net.params() == null || net.params().length() == 0) {
            throw new IllegalArgumentException("the network is not initialised: call net.init() before training it");
        }
        Models.checkNoConstraints(net.getLayers());
        this.net = net;
        this.conf = net.getLayerWiseConfigurations();
    }

    @Override
    public INDArray params() {
        return net.params();
    }

    /** Its configuration is a clone, so iteration counters are not shared with the original network. */
    @Override
    public Replica newReplica(INDArray params) {
        MultiLayerNetwork replica = new MultiLayerNetwork(conf.clone());
        replica.init(params, false); // views params; never close() it: that frees params
        return new MultiLayerNetworkReplica(replica);
    }

    @Override
    public Replica newRebindableReplica(INDArray params) {
        return new MultiLayerNetworkReplica(new ReboundNetwork(conf, params));
    }

    @Override
    public void checkRebindable() {
        new ReboundNetwork(conf, net.params().dup()); // throws, saying why, when it cannot be re-pointed
    }

    @Override
    public Evaluator newEvaluator(MultiDataSetIterator data) {
        PrivateCopy copy = new PrivateCopy();
        return fill -> Models.accuracyOf(copy.filled(fill), data);
    }

    @Override
    public Scorer newScorer(MultiDataSet sample) {
        PrivateCopy copy = new PrivateCopy();
        return fill -> {
            DataSet ds = new DataSet(sample.getFeatures(0), sample.getLabels(0), sample.getFeaturesMaskArray(0),
                    sample.getLabelsMaskArray(0)); // a view of the sample's arrays, read as the graph's scorer reads
            double s = copy.filled(fill).score(ds, false);
            return Double.isFinite(s) ? s : Double.NaN;
        };
    }

    /** A network of the model's configuration with parameters of its own, made on first use by its one thread. */
    private final class PrivateCopy {
        private MultiLayerNetwork copy;

        /** The copy, its parameters filled by {@code fill}. */
        MultiLayerNetwork filled(Consumer<INDArray> fill) {
            if (copy == null) {
                copy = new MultiLayerNetwork(conf.clone());
                copy.init(net.params().dup(), false);
            }
            fill.accept(copy.params());
            return copy;
        }
    }

    @Override
    public boolean hasParameters() {
        return true;
    }

    @Override
    public Model model() {
        return net;
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
    public void showStep(MultiDataSet batch, INDArray update, double scale) {
        if (batch != null) {
            net.setInput(batch.getFeatures(0));
            net.setLabels(batch.getLabels(0));
        }
        if (update != null) {
            if (shown == null) {
                shown = new ShownUpdate(net, MultiLayerNetwork.class);
            }
            shown.show(update, scale);
        }
    }

    @Override
    public void show(double score, int iteration, int epoch) {
        net.setScore(score);
        net.setIterationCount(iteration);
        net.setEpochCount(epoch);
    }
}
