package org.dl4jasync.model;

import java.util.List;
import java.util.function.Consumer;

import org.deeplearning4j.nn.api.Model;
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
final class GraphModel implements TrainableModel {
    private final ComputationGraph graph;
    /** Made on first use, by the thread holding the listener lock. */
    private ShownUpdate shown;
    private final ComputationGraphConfiguration conf;

    GraphModel(ComputationGraph graph) {
        if (graph.getLayers() == null || graph.params() == null || graph.params().length() == 0) {
            throw new IllegalArgumentException("the graph is not initialised: call graph.init() before training it");
        }
        Models.checkNoConstraints(graph.getLayers());
        this.graph = graph;
        this.conf = graph.getConfiguration();
    }

    @Override
    public INDArray params() {
        return graph.params();
    }

    /** Its configuration is a clone, so iteration counters are not shared with the original graph. */
    @Override
    public Replica newReplica(INDArray params) {
        ComputationGraph replica = new ComputationGraph(conf.clone());
        replica.init(params, false); // views params; never close() it: that frees params
        return new GraphReplica(replica);
    }

    @Override
    public Replica newRebindableReplica(INDArray params) {
        return new GraphReplica(new ReboundGraph(conf, params));
    }

    @Override
    public void checkRebindable() {
        new ReboundGraph(conf, graph.params().dup()); // throws, saying why, when it cannot be re-pointed
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
            double s = copy.filled(fill).score(sample, false);
            return Double.isFinite(s) ? s : Double.NaN;
        };
    }

    /** A graph of the model's configuration with parameters of its own, made on first use by its one thread. */
    private final class PrivateCopy {
        private ComputationGraph copy;

        ComputationGraph filled(Consumer<INDArray> fill) {
            if (copy == null) {
                copy = new ComputationGraph(conf.clone());
                copy.init(graph.params().dup(), false);
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
        return graph;
    }

    @Override
    public List<TrainingListener> listeners() {
        return List.copyOf(graph.getListeners());
    }

    @Override
    public int iterationCount() {
        return graph.getIterationCount();
    }

    @Override
    public int epochCount() {
        return graph.getEpochCount();
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
        graph.params().assign(params);
        if (updaterState != null) {
            graph.getUpdater().setStateViewArray(updaterState);
        }
        ComputationGraphConfiguration saved = ComputationGraphConfiguration.fromJson(configurationJson);
        conf.setIterationCount(saved.getIterationCount());
        conf.setEpochCount(saved.getEpochCount());
    }

    @Override
    public void showStep(MultiDataSet batch, INDArray update, double scale) {
        if (batch != null) {
            graph.setInputs(batch.getFeatures());
            graph.setLabels(batch.getLabels());
        }
        if (update != null) {
            if (shown == null) {
                shown = new ShownUpdate(graph, ComputationGraph.class);
            }
            shown.show(update, scale);
        }
    }

    @Override
    public void show(double score, int iteration, int epoch) {
        graph.setScore(score);
        conf.setIterationCount(iteration);
        conf.setEpochCount(epoch);
    }
}
