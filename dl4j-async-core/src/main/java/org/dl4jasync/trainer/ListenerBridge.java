package org.dl4jasync.trainer;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jasync.model.TrainableModel;
import org.dl4jasync.parameters.ParameterStore;

/**
 * Delivers DL4J {@link TrainingListener} events for the original model, serialised under {@link #lock}, and
 * tracks epochs (for both engines: the updater's epoch number and the report's epoch count come from here). Before
 * each event the original model is given the latest parameters (unless it already views
 * them), the step's score and the iteration/epoch counts, so listeners such as {@code EvaluativeListener} and
 * {@code CheckpointListener} see the model as it is.
 *
 * <p>Protocols: {@link #lock} guards every listener call, the original network, and {@link #epochsClosed} /
 * {@link #epochOpen} writes; {@link #epochsClosed} is volatile so workers read the current epoch without it.
 * {@link #finished} counts finished steps (applied, rejected or dropped); epoch e ends when it reaches the
 * source's end of epoch e.
 */
final class ListenerBridge {
    private final TrainableModel model;
    private final List<TrainingListener> listeners;
    private final ParameterStore store;
    private final BatchSource source;
    private final int baseIteration;
    private final int baseEpoch;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong finished = new AtomicLong();
    private volatile int epochsClosed;
    private boolean epochOpen;
    /** Guarded by {@link #lock}: the score last shown on the original model. */
    private double lastScore;

    ListenerBridge(TrainableModel model, List<TrainingListener> listeners, ParameterStore store, BatchSource source) {
        this.model = model;
        this.listeners = listeners;
        this.store = store;
        this.source = source;
        this.baseIteration = model.iterationCount();
        this.baseEpoch = model.epochCount();
        this.lastScore = model.model() == null ? Double.NaN : model.model().score();
        openFirstEpoch();
    }

    int baseIteration() {
        return baseIteration;
    }

    /** The epoch number (DL4J's epoch count) of steps starting now. */
    int currentEpoch() {
        return baseEpoch + epochsClosed;
    }

    int epochsCompleted() {
        return epochsClosed;
    }

    private void openFirstEpoch() {
        lock.lock();
        try {
            openEpoch();
        } finally {
            lock.unlock();
        }
    }

    /** The applied update with index {@code index} (0-based, in store version order) had minibatch loss {@code score}. */
    void iterationDone(long index, double score) {
        if (listeners.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            int iteration = (int) (baseIteration + index);
            syncNetwork(score, iteration);
            for (TrainingListener l : listeners) {
                l.iterationDone(model.model(), iteration, currentEpoch());
            }
        } finally {
            lock.unlock();
        }
    }

    /** A step finished (whatever its fate); closes the epoch when this was its last step. */
    void stepFinished() {
        long f = finished.incrementAndGet();
        long end = source.epochEnd(epochsClosed);
        if (end != BatchSource.UNKNOWN && f >= end) {
            closeEpochs(false);
        }
    }

    /** At the end of the run: closes completed epochs, then fires onEpochEnd for a partial epoch still open. */
    void finish() {
        closeEpochs(true);
    }

    /** After the run: the original model holds the latest parameters, the iteration and the epoch count. */
    void showFinalState(long accepted) {
        lock.lock();
        try {
            if (!store.sharesBufferWith(model.params())) {
                store.copyLatestTo(model.params());
            }
            model.show(lastScore, (int) (baseIteration + accepted), currentEpoch());
        } finally {
            lock.unlock();
        }
    }

    private void closeEpochs(boolean finalCall) {
        lock.lock();
        try {
            long f = finished.get();
            for (;;) {
                long end = source.epochEnd(epochsClosed);
                if (end == BatchSource.UNKNOWN || f < end) {
                    break;
                }
                closeEpoch(true);
                if (!finalCall && epochsClosed < source.epochs()) {
                    openEpoch();
                }
            }
            if (finalCall && epochOpen) {
                closeEpoch(false);
            }
        } finally {
            lock.unlock();
        }
    }

    private void openEpoch() {
        epochOpen = true;
        if (!listeners.isEmpty()) {
            syncNetwork(lastScore, (int) (baseIteration + store.version()));
            for (TrainingListener l : listeners) {
                l.onEpochStart(model.model());
            }
        }
    }

    /** As DL4J's fit: onEpochEnd sees the number of the epoch that ended; the count goes up after it. */
    private void closeEpoch(boolean complete) {
        epochOpen = false;
        int ended = currentEpoch();
        if (complete) {
            epochsClosed++; // steps starting from now belong to the next epoch
        }
        if (!listeners.isEmpty()) {
            syncNetwork(lastScore, (int) (baseIteration + store.version()), ended);
            for (TrainingListener l : listeners) {
                l.onEpochEnd(model.model());
            }
        }
    }

    /** Called with {@link #lock} held. */
    private void syncNetwork(double score, int iteration) {
        syncNetwork(score, iteration, currentEpoch());
    }

    private void syncNetwork(double score, int iteration, int epoch) {
        if (!store.sharesBufferWith(model.params())) {
            store.copyLatestTo(model.params());
        }
        lastScore = score;
        model.show(score, iteration, epoch);
    }
}
