package org.dl4jasync.testing;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Tiny graphs on {@link TinyNets}' blobs: a residual one, a two-input one, and the MLN's layers as a graph. */
public final class TinyGraphs {
    private TinyGraphs() {}

    private static ComputationGraphConfiguration.GraphBuilder base(long seed, double l2) {
        return base(seed, l2, new Nesterovs(0.1, 0.5));
    }

    private static ComputationGraphConfiguration.GraphBuilder base(
            long seed, double l2, org.nd4j.linalg.learning.config.IUpdater updater) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(updater);
        if (l2 > 0) {
            b.l2(l2);
        }
        return b.graphBuilder();
    }

    /** in → d1 → d2, out = softmax(d1 + d2): one residual (skip) connection. */
    public static ComputationGraph residual(long seed, double l2) {
        ComputationGraph g = new ComputationGraph(base(seed, l2)
                .addInputs("in")
                .addLayer(
                        "d1",
                        new DenseLayer.Builder()
                                .nIn(TinyNets.IN)
                                .nOut(8)
                                .activation(Activation.RELU)
                                .build(),
                        "in")
                .addLayer(
                        "d2",
                        new DenseLayer.Builder()
                                .nIn(8)
                                .nOut(8)
                                .activation(Activation.RELU)
                                .build(),
                        "d1")
                .addVertex("skip", new ElementWiseVertex(ElementWiseVertex.Op.Add), "d1", "d2")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nIn(8)
                                .nOut(TinyNets.CLASSES)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "skip")
                .setOutputs("out")
                .build());
        g.init();
        return g;
    }

    /** Two inputs (the first and last half of each point's features), a dense layer each, merged, one output. */
    public static ComputationGraph twoInputs(long seed) {
        int half = TinyNets.IN / 2;
        ComputationGraph g = new ComputationGraph(base(seed, 0)
                .addInputs("a", "b")
                .addLayer(
                        "da",
                        new DenseLayer.Builder()
                                .nIn(half)
                                .nOut(6)
                                .activation(Activation.RELU)
                                .build(),
                        "a")
                .addLayer(
                        "db",
                        new DenseLayer.Builder()
                                .nIn(TinyNets.IN - half)
                                .nOut(6)
                                .activation(Activation.RELU)
                                .build(),
                        "b")
                .addVertex("merge", new MergeVertex(), "da", "db")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nIn(12)
                                .nOut(TinyNets.CLASSES)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "merge")
                .setOutputs("out")
                .build());
        g.init();
        return g;
    }

    /** {@link TinyNets#conf}'s layers as a graph (same parameter layout; copy the MLN's parameters to compare). */
    public static ComputationGraph sameAsTinyNet(long seed) {
        return sameAsTinyNet(seed, new Nesterovs(0.1, 0.5));
    }

    /** {@link #sameAsTinyNet(long)} trained by {@code updater}. */
    public static ComputationGraph sameAsTinyNet(long seed, org.nd4j.linalg.learning.config.IUpdater updater) {
        ComputationGraph g = new ComputationGraph(base(seed, 0, updater)
                .addInputs("in")
                .addLayer(
                        "0",
                        new DenseLayer.Builder()
                                .nIn(TinyNets.IN)
                                .nOut(8)
                                .activation(Activation.RELU)
                                .build(),
                        "in")
                .addLayer(
                        "1",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nIn(8)
                                .nOut(TinyNets.CLASSES)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "0")
                .setOutputs("1")
                .build());
        g.init();
        return g;
    }

    /** An iterator over {@code batches} that supports reset (DL4J has none for a list of MultiDataSets). */
    public static org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator iterator(List<MultiDataSet> batches) {
        return new org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator() {
            private int next;
            private org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor pre;

            @Override
            public MultiDataSet next(int num) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void setPreProcessor(org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor p) {
                pre = p;
            }

            @Override
            public org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor getPreProcessor() {
                return pre;
            }

            @Override
            public boolean resetSupported() {
                return true;
            }

            @Override
            public boolean asyncSupported() {
                return false;
            }

            @Override
            public void reset() {
                next = 0;
            }

            @Override
            public boolean hasNext() {
                return next < batches.size();
            }

            @Override
            public MultiDataSet next() {
                return batches.get(next++);
            }
        };
    }

    /** {@code blobs} split into the two inputs of {@link #twoInputs}. */
    public static List<MultiDataSet> split(List<DataSet> blobs) {
        int half = TinyNets.IN / 2;
        List<MultiDataSet> out = new ArrayList<>();
        for (DataSet d : blobs) {
            out.add(new org.nd4j.linalg.dataset.MultiDataSet(
                    new org.nd4j.linalg.api.ndarray.INDArray[] {
                        d.getFeatures()
                                .get(NDArrayIndex.all(), NDArrayIndex.interval(0, half))
                                .dup(),
                        d.getFeatures()
                                .get(NDArrayIndex.all(), NDArrayIndex.interval(half, TinyNets.IN))
                                .dup()
                    },
                    new org.nd4j.linalg.api.ndarray.INDArray[] {d.getLabels()}));
        }
        return out;
    }
}
