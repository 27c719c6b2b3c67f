package org.dl4jasync.model;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scheduling only: a simulation without gradients. The "parameters" are one float that stays 0 (every update is
 * 0), so every store runs its real protocol (versions, snapshots, contention) at negligible cost; losses are NaN.
 */
final class NoModel implements TrainableModel {
    private final INDArray params = Nd4j.zeros(DataType.FLOAT, 1);
    private int iterations;
    private int epochs;

    @Override
    public INDArray params() {
        return params;
    }

    @Override
    public Replica newReplica(INDArray p) {
        return new Replica() {
            private final INDArray zero = Nd4j.zeros(DataType.FLOAT, 1);
            private INDArray bound = p;

            @Override
            public void bind(INDArray b) {
                bound = b;
            }

            @Override
            public INDArray params() {
                return bound;
            }

            @Override
            public double computeGradient(MultiDataSet batch) {
                return Double.NaN;
            }

            @Override
            public INDArray gradient() {
                return zero;
            }

            @Override
            public void toUpdate(int iteration, int epoch, int batchSize) {}
        };
    }

    @Override
    public Replica newRebindableReplica(INDArray p) {
        return newReplica(p);
    }

    @Override
    public void checkRebindable() {}

    @Override
    public Evaluator newEvaluator(MultiDataSetIterator data) {
        throw new IllegalArgumentException("a run without a model has nothing to evaluate");
    }

    @Override
    public Scorer newScorer(MultiDataSet sample) {
        throw new IllegalArgumentException("a run without a model has no loss to score");
    }

    @Override
    public boolean hasParameters() {
        return false;
    }

    @Override
    public Model model() {
        return null;
    }

    @Override
    public List<TrainingListener> listeners() {
        return List.of();
    }

    @Override
    public int iterationCount() {
        return iterations;
    }

    @Override
    public int epochCount() {
        return epochs;
    }

    @Override
    public void show(double score, int iteration, int epoch) {
        iterations = iteration;
        epochs = epoch;
    }
}
