package org.dl4jasync.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import org.deeplearning4j.core.storage.listener.RoutingIterationListener;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jasync.model.Replica;
import org.dl4jasync.model.TrainableModel;
import org.dl4jasync.parameters.ParameterStore;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Delivers DL4J {@link TrainingListener} events, serialised under {@link #lock}, and tracks epochs (for both
 * engines: the updater's epoch number and the report's epoch count come from here). The whole listener contract:
 * <ul>
 * <li>{@code iterationDone} once per applied update, in iteration order; {@code onEpochStart} per epoch begun and
 * {@code onEpochEnd} per epoch completed (one cut short by a stop has none, and the epoch count stays, as in DL4J's
 * early-stopping trainer), on the original model.
 * Before each event the original model is given the latest parameters (unless it already views them), the step's
 * score, the iteration/epoch counts and, as {@code gradient()}, the update just applied — so listeners such as
 * {@code EvaluativeListener}, {@code CheckpointListener} and {@code StatsListener} see the model as DL4J's own fit
 * shows it.</li>
 * <li>{@code onForwardPass}, {@code onGradientCalculation} and {@code onBackwardPass} once per computed minibatch, on
 * the replica that computed it (the network whose activations and gradient they are), from the worker's
 * thread.</li>
 * <li>A {@link RoutingIterationListener} ({@code StatsListener}) is replaced, as in ParallelWrapper, by one clone per
 * worker with the original's session id and a worker id that stays the same across fit calls
 * ({@link RoutingClones}); worker w's clone gets the pass events of worker w's minibatches and
 * {@code iterationDone} for the updates worker w applied or contributed to (a round), and every epoch event.</li>
 * </ul>
 *
 * <p>Protocols: {@link #lock} guards every listener call, the original network, and {@link #epochsClosed}
 * writes; {@link #epochsClosed} is volatile so workers read the current epoch without it.
 * {@link #finished} counts finished steps (applied, rejected or dropped); epoch e ends when it reaches the
 * source's end of epoch e.
 */
final class ListenerBridge {
    private final TrainableModel model;
    /** Every listener called: {@link #shared} and every worker's clones. Empty: the bridge does nothing. */
    private final List<TrainingListener> listeners;
    /** The listeners that are not routing listeners: called for every event. */
    private final List<TrainingListener> shared;
    /** Per worker: its clones of the routing listeners. */
    private final TrainingListener[][] routed;

    private final ParameterStore store;
    private final BatchSource source;
    private final int baseIteration;
    private final int baseEpoch;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong finished = new AtomicLong();
    private volatile int epochsClosed;
    /** Guarded by {@link #lock}: the index of the next update whose {@code iterationDone} is due. */
    private long nextIndex;
    /** Guarded by {@link #lock}: deliveries of later updates whose turn has not come (see {@link #inOrder}). */
    private final TreeMap<Long, Runnable> pending = new TreeMap<>();
    /** Shows the optimizer state of the moment on the original network (before {@code onEpochEnd}). */
    private final Runnable showOptimizerState;
    /** Guarded by {@link #lock}: the score last shown on the original model. */
    private double lastScore;

    ListenerBridge(
            TrainableModel model,
            List<TrainingListener> listeners,
            RoutingClones clones,
            int workers,
            ParameterStore store,
            BatchSource source,
            Runnable showOptimizerState) {
        this.model = model;
        this.showOptimizerState = showOptimizerState;
        List<TrainingListener> sharedOnes = new ArrayList<>();
        List<RoutingIterationListener> routing = new ArrayList<>();
        for (TrainingListener l : listeners) {
            if (l instanceof RoutingIterationListener) {
                routing.add((RoutingIterationListener) l);
            } else {
                sharedOnes.add(l);
            }
        }
        this.shared = List.copyOf(sharedOnes);
        this.routed = new TrainingListener[workers][routing.size()];
        List<TrainingListener> all = new ArrayList<>(shared);
        for (int w = 0; w < workers; w++) {
            for (int k = 0; k < routing.size(); k++) {
                routed[w][k] = (TrainingListener) clones.of(routing.get(k), w, workers);
                all.add(routed[w][k]);
            }
        }
        this.listeners = List.copyOf(all);
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

    /** Whether any listener is called (else every event is a no-op and callers may skip preparing one). */
    boolean hasListeners() {
        return !listeners.isEmpty();
    }

    /**
     * The applied update with index {@code index} (0-based, in store version order), {@code scale · update}, was the
     * step of {@code ws} (its minibatch and loss).
     */
    void iterationDone(long index, WorkerState ws, INDArray update, double scale) {
        if (listeners.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            int w = ws.id;
            double loss = ws.loss;
            MultiDataSet batch = ws.lastBatch;
            inOrder(index, update, kept -> {
                int iteration = beforeIteration(index, loss, batch, kept, scale);
                for (TrainingListener l : routed[w]) {
                    l.iterationDone(model.model(), iteration, currentEpoch());
                }
            });
        } finally {
            lock.unlock();
        }
    }

    /**
     * With {@link #lock} held: runs the delivery of update {@code index} now if it is the next in version order,
     * then every kept one that follows it; otherwise keeps it (with a copy of {@code update}, which its worker
     * reuses) for its turn. Two workers apply in one order and may take the lock in the other; listeners see the
     * iterations in order (before: e.g. 205 before 204, 10 of 723 calls with 16 workers).
     */
    private void inOrder(long index, INDArray update, Consumer<INDArray> delivery) {
        if (index != nextIndex) {
            INDArray kept = null;
            if (update != null) {
                try (org.nd4j.linalg.api.memory.MemoryWorkspace none =
                        org.nd4j.linalg.factory.Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                    kept = update.dup();
                }
            }
            INDArray copy = kept;
            pending.put(index, () -> delivery.accept(copy));
            return;
        }
        delivery.accept(update);
        nextIndex++;
        Runnable next;
        while ((next = pending.remove(nextIndex)) != null) {
            next.run();
            nextIndex++;
        }
    }

    /** With {@link #lock} held, at the end: the kept deliveries in order (an update whose own never came is skipped). */
    private void deliverPending() {
        while (!pending.isEmpty()) {
            Map.Entry<Long, Runnable> e = pending.pollFirstEntry();
            e.getValue().run();
            nextIndex = e.getKey() + 1;
        }
    }

    /**
     * The applied update with index {@code index}, {@code update} (null: not kept), closed a round of the workers
     * {@code contributed} names, whose mean minibatch loss was {@code score}; {@code batch}: one contributor's
     * minibatch.
     */
    void roundDone(long index, double score, MultiDataSet batch, INDArray update, IntPredicate contributed) {
        if (listeners.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            boolean[] in = new boolean[routed.length]; // the contributors now: the predicate reads live round state
            for (int w = 0; w < routed.length; w++) {
                in[w] = contributed.test(w);
            }
            inOrder(index, update, kept -> {
                int iteration = beforeIteration(index, score, batch, kept, 1.0);
                for (int w = 0; w < routed.length; w++) {
                    if (in[w]) {
                        for (TrainingListener l : routed[w]) {
                            l.iterationDone(model.model(), iteration, currentEpoch());
                        }
                    }
                }
            });
        } finally {
            lock.unlock();
        }
    }

    /** With {@link #lock} held: the original model as after the update, then the shared listeners. */
    private int beforeIteration(long index, double score, MultiDataSet batch, INDArray update, double scale) {
        int iteration = (int) (baseIteration + index);
        syncNetwork(score, iteration);
        model.showStep(batch, update, scale);
        for (TrainingListener l : shared) {
            l.iterationDone(model.model(), iteration, currentEpoch());
        }
        return iteration;
    }

    /**
     * Makes {@code replica}'s pass events ({@code onForwardPass}, {@code onBackwardPass}, fired by DL4J inside its
     * gradient computation) reach the listeners as worker {@code w}'s. No-op without listeners.
     */
    void listenTo(int w, Replica replica) {
        if (!listeners.isEmpty() && replica.model() != null) {
            replica.listen(new PassRelay(w));
        }
    }

    /** Worker {@code w}'s replica {@code replica} computed a minibatch's gradient (before its updater ran). */
    void gradientCalculated(int w, Model replica) {
        if (!listeners.isEmpty() && replica != null) {
            passEvent(w, l -> l.onGradientCalculation(replica));
        }
    }

    /** A pass event of worker {@code w}'s minibatch: the shared listeners and w's clones, under {@link #lock}. */
    private void passEvent(int w, Consumer<TrainingListener> event) {
        lock.lock();
        try {
            for (TrainingListener l : shared) {
                event.accept(l);
            }
            for (TrainingListener l : routed[w]) {
                event.accept(l);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Worker w's replica's only DL4J listener: forwards its pass events, serialised with every other event. */
    private final class PassRelay extends BaseTrainingListener {
        private final int w;

        PassRelay(int w) {
            this.w = w;
        }

        @Override
        public void onForwardPass(Model m, List<INDArray> activations) {
            passEvent(w, l -> l.onForwardPass(m, activations));
        }

        @Override
        public void onForwardPass(Model m, Map<String, INDArray> activations) {
            passEvent(w, l -> l.onForwardPass(m, activations));
        }

        @Override
        public void onBackwardPass(Model m) {
            passEvent(w, l -> l.onBackwardPass(m));
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

    /** At the end of the run: closes completed epochs; an epoch cut short gets no onEpochEnd (closeEpochs). */
    void finish() {
        lock.lock();
        try {
            deliverPending();
        } finally {
            lock.unlock();
        }
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
            for (; ; ) {
                long end = source.epochEnd(epochsClosed);
                if (end == BatchSource.UNKNOWN || f < end) {
                    break;
                }
                closeEpoch(true, end);
                if (!finalCall && epochsClosed < source.epochs()) {
                    openEpoch();
                }
            }
            // an epoch cut short by a stop (stopFit, max steps, a time limit, a target) ends without onEpochEnd, and
            // the epoch count stays: as DL4J's early-stopping trainer, whose onEpochEnd means a whole pass was made
        } finally {
            lock.unlock();
        }
    }

    private void openEpoch() {
        if (!listeners.isEmpty()) {
            syncNetwork(lastScore, (int) (baseIteration + store.applied()));
            for (TrainingListener l : listeners) {
                l.onEpochStart(model.model());
            }
        }
    }

    /**
     * As DL4J's fit: onEpochEnd sees the number of the epoch that ended; the count goes up after it. The iteration it
     * sees is the updates applied so far, but never more than the epoch's steps ({@code steps}, counted from the
     * fit's start): a step of the next epoch may already have been applied by another worker when the step that
     * completes this one closes it (as net.fit shows it: epoch e ends at its own last minibatch).
     */
    @SuppressWarnings("NonAtomicVolatileUpdate") // epochsClosed: written under lock only (the class's protocol)
    private void closeEpoch(boolean complete, long steps) {
        int ended = currentEpoch();
        if (complete) {
            epochsClosed++; // steps starting from now belong to the next epoch
        }
        if (!listeners.isEmpty()) {
            syncNetwork(lastScore, (int) (baseIteration + Math.min(store.applied(), steps)), ended);
            showOptimizerState.run(); // an epoch-based CheckpointListener saves the model with its updater state
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
