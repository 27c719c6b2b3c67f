package org.dl4jasync.simulation;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dl4jasync.trainer.Accuracy;
import org.dl4jasync.trainer.BatchSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A real DL4J network behind a simulation. The network's parameters are the simulated shared parameters.
 *
 * <p>Memory: no parameter snapshots. A read happens at a virtual instant and the gradient is computed right then,
 * on the parameters as they are at that instant (events are processed in order), so a snapshot is consumed the
 * moment it is taken. What must be kept is each in-flight worker's pending update (P floats) and each worker's
 * updater state (momentum, Adam moments: 0–2 × P floats, allocated on the worker's first step): for m workers
 * about (1 + m·(1 + s))·P floats, where s is the updater's state size per parameter (Nesterovs: 1, SGD: 0).
 */
public final class NetworkModel implements SimulatedModel {
    private final MultiLayerNetwork net;
    private final BatchSource source;
    private final DataSetIterator evalData;
    private final INDArray params;
    private final INDArray[] pending;
    private final INDArray[] updaterState;
    private final LayerWorkspaceMgr noWs = LayerWorkspaceMgr.noWorkspaces();

    /**
     * @param net      an initialised network; trained in place
     * @param source   batches by ticket
     * @param evalData held-out data for accuracy, or null
     * @param workers  number of simulated workers
     */
    public NetworkModel(MultiLayerNetwork net, BatchSource source, DataSetIterator evalData, int workers) {
        this.net = net;
        this.source = source;
        this.evalData = evalData;
        this.params = net.params();
        this.pending = new INDArray[workers];
        this.updaterState = new INDArray[workers];
    }

    @Override
    public double read(int worker, long ticket, int iteration, int epoch) {
        DataSet ds;
        try {
            ds = source.batch(ticket);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading batch " + ticket, e);
        }
        if (ds == null) {
            return Double.NaN;
        }
        try {
            net.setInput(ds.getFeatures());
            net.setLabels(ds.getLabels());
            net.setLayerMaskArrays(ds.getFeaturesMaskArray(), ds.getLabelsMaskArray());
            net.computeGradientAndScore();
            double loss = net.score();
            Updater updater = net.getUpdater();
            INDArray state = updater.getStateViewArray();
            if (state != null) {
                if (updaterState[worker] == null) {
                    updaterState[worker] = Nd4j.zeros(state.dataType(), state.shape()); // a fresh worker's state
                }
                state.assign(updaterState[worker]);
            }
            updater.update(net, net.gradient(), iteration, epoch, (int) ds.getFeatures().size(0), noWs);
            if (state != null) {
                updaterState[worker].assign(state);
            }
            INDArray update = net.getGradientsViewArray();
            if (pending[worker] == null) {
                pending[worker] = Nd4j.create(update.dataType(), update.length());
            }
            pending[worker].assign(update.reshape(update.length()));
            return loss;
        } finally {
            source.done(ticket);
        }
    }

    @Override
    public void apply(int worker, double factor) {
        INDArray u = pending[worker];
        if (factor == 1.0) {
            params.subi(u);
        } else {
            params.subi(u.mul(factor));
        }
    }

    @Override
    public INDArray pendingUpdate(int worker) {
        return pending[worker];
    }

    /** Copies the current parameters into {@code destination} (simulation thread only). */
    public void copyParams(INDArray destination) {
        destination.assign(params);
    }

    @Override
    public double evaluate() {
        if (evalData == null) {
            return Double.NaN;
        }
        return Accuracy.of(net, evalData);
    }
}
