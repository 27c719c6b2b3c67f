package org.dl4jasync.examples.cli;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.deeplearning4j.datasets.iterator.AsyncDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Ends the epoch early once a stop was requested (net.fit has no stopFit). For net.fit it sits after the
 * prefetching DL4J would add itself (the same {@link AsyncDataSetIterator}, queue of 2) and says it does not
 * support async, so no batch is trained after the stop: the step budget is exact. ParallelWrapper keeps its own
 * prefetch buffer, so a few batches handed out before the stop may still be trained.
 */
final class StoppableIterator implements DataSetIterator {
    private static final long serialVersionUID = 1L;
    private final DataSetIterator in;
    private final AtomicBoolean stop;
    private final boolean async;

    StoppableIterator(DataSetIterator in, AtomicBoolean stop, boolean async) {
        this.in = in;
        this.stop = stop;
        this.async = async;
    }

    @Override
    public boolean hasNext() {
        return !stop.get() && in.hasNext();
    }

    @Override
    public DataSet next() {
        return in.next();
    }

    @Override
    public DataSet next(int num) {
        return in.next(num);
    }

    @Override
    public int inputColumns() {
        return in.inputColumns();
    }

    @Override
    public int totalOutcomes() {
        return in.totalOutcomes();
    }

    @Override
    public boolean resetSupported() {
        return in.resetSupported();
    }

    @Override
    public boolean asyncSupported() {
        return async;
    }

    @Override
    public void reset() {
        in.reset();
    }

    @Override
    public int batch() {
        return in.batch();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor p) {
        in.setPreProcessor(p);
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return in.getPreProcessor();
    }

    @Override
    public List<String> getLabels() {
        return in.getLabels();
    }
}
