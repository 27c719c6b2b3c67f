package org.dl4jasync.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Measures the asynchrony-induced noise of applied updates (ElAsyncSGD, thesis Definition D.4.2, Algorithm D.4):
 * ‖ξ_i‖ = η‖∇L(v_i) − ∇L(θ_i)‖, where the update applied at iteration i was computed on the stale view v_i and
 * θ_i is the state it is applied to. The paper's trick: the update computed from θ_i by its first reader is the
 * "correct" update for iteration i; it is kept until the update actually applied at iteration i is known (or the
 * other way round), and the norm of their difference is recorded.
 *
 * <p>Both are updates as the model's DL4J updater produced them (η·gradient for plain SGD; with momentum they also
 * differ by the two workers' momentum states), the applied one times its step-size factor; the two come from
 * different minibatches, so ‖ξ‖ includes sampling noise, as in the paper. The trace holds the mean ‖ξ‖ of every
 * {@code every} measured iterations.
 *
 * <p>Off by default; when on it copies two parameter-sized vectors per iteration (allocating), under this object's
 * monitor: it slows a run, which is why it is optional. Versions whose partner never arrives (no worker read
 * θ_i, or its step was cut off) are evicted once they are {@code horizon} versions old.
 *
 * <p><b>Extension interface</b> (not needed to train with the built-in algorithms): the run composes it from the configuration; usable on its own for offline measurements. See DESIGN.md,
 * "Public API".
 */
public final class AsynchronyNoise {
    private final DoubleSupplier clock;
    private final long every;
    private final long horizon;
    private final Map<Long, INDArray> correct = new HashMap<>();
    private final Map<Long, INDArray> applied = new HashMap<>();
    private final List<TracePoint> trace = new ArrayList<>();
    private long latest;
    private double sum;
    private long count;
    private long measured;

    /**
     * @param clock   seconds since the start (real or virtual)
     * @param every   measured iterations per trace point (≥ 1)
     * @param horizon versions kept waiting for their partner (≥ 1; e.g. 4·m)
     */
    public AsynchronyNoise(DoubleSupplier clock, long every, long horizon) {
        if (every < 1 || horizon < 1) {
            throw new IllegalArgumentException("every and horizon must be >= 1, got " + every + " and " + horizon);
        }
        this.clock = clock;
        this.every = every;
        this.horizon = horizon;
    }

    /** A worker computed {@code update} from version {@code readVersion}; the first one per version is kept. */
    public synchronized void computed(long readVersion, INDArray update) {
        if (readVersion < latest - horizon || correct.containsKey(readVersion)) {
            return;
        }
        INDArray other = applied.remove(readVersion);
        if (other != null) {
            record(other, update);
            correct.put(readVersion, null); // measured: later readers of this version are ignored
        } else {
            correct.put(readVersion, update.dup());
        }
    }

    /** The update of iteration {@code index} (applied to version {@code index}) was {@code factor · update}. */
    public synchronized void applied(long index, INDArray update, double factor) {
        latest = Math.max(latest, index);
        if (correct.containsKey(index)) {
            INDArray c = correct.get(index);
            if (c != null) {
                record(update.mul(factor), c);
                correct.put(index, null);
            }
        } else {
            applied.put(index, update.mul(factor));
        }
        evict();
    }

    private void record(INDArray a, INDArray b) {
        double norm = a.distance2(b);
        sum += norm;
        count++;
        measured++;
        if (count == every) {
            trace.add(new TracePoint(clock.getAsDouble(), latest + 1, sum / count));
            sum = 0;
            count = 0;
        }
    }

    private void evict() {
        long oldest = latest - horizon;
        for (Iterator<Long> it = correct.keySet().iterator(); it.hasNext(); ) {
            if (it.next() < oldest) {
                it.remove();
            }
        }
        for (Iterator<Long> it = applied.keySet().iterator(); it.hasNext(); ) {
            if (it.next() < oldest) {
                it.remove();
            }
        }
    }

    /** The trace, with the partial last group flushed. */
    public synchronized List<TracePoint> trace() {
        List<TracePoint> out = new ArrayList<>(trace);
        if (count > 0) {
            out.add(new TracePoint(clock.getAsDouble(), latest + 1, sum / count));
        }
        return out;
    }

    /** Iterations measured so far. */
    public synchronized long measured() {
        return measured;
    }
}
