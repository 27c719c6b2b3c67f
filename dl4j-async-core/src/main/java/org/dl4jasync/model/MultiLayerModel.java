package org.dl4jasync.model;

import java.util.List;
import java.util.function.Consumer;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** {@link TrainableModel} of a {@link MultiLayerNetwork}. */
final class MultiLayerModel implements TrainableModel {
    private final MultiLayerNetwork net;
    private final MultiLayerConfiguration conf;

    MultiLayerModel(MultiLayerNetwork net) {
        if (!net.isInitCalled() || net.getLayers() == null || net.params() == null || net.params().length() == 0) {
            throw new IllegalArgumentException("the network is not initialised: call net.init() before training it");
        }
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
        return new NetworkReplica(replica);
    }

    @Override
    public Replica newRebindableReplica(INDArray params) {
        ReboundNetwork.checkRebindable(conf);
        return new NetworkReplica(new ReboundNetwork(conf, params));
    }

    @Override
    public void checkRebindable() {
        ReboundNetwork.checkRebindable(conf);
    }

    @Override
    public Evaluator newEvaluator(DataSetIterator data) {
        PrivateCopy copy = new PrivateCopy();
        return fill -> accuracyOf(copy.filled(fill), data);
    }

    @Override
    public Scorer newScorer(DataSet sample) {
        PrivateCopy copy = new PrivateCopy();
        return fill -> {
            double s = copy.filled(fill).score(sample, false);
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

    /** Accuracy of {@code n} on {@code data} (reset first), or NaN when it diverged (DL4J's Evaluation throws on NaN). */
    static double accuracyOf(MultiLayerNetwork n, DataSetIterator data) {
        if (n.params().isNaN().any() || n.params().isInfinite().any()) {
            return Double.NaN;
        }
        data.reset();
        try {
            return n.evaluate(data).accuracy();
        } catch (IllegalStateException e) {
            if (String.valueOf(e.getMessage()).contains("NaN")) {
                return Double.NaN;
            }
            throw e;
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
    public void show(double score, int iteration, int epoch) {
        net.setScore(score);
        net.setIterationCount(iteration);
        net.setEpochCount(epoch);
    }
}
