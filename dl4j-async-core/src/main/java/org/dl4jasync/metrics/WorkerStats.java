package org.dl4jasync.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Counters of one worker. Protocol: written only by the owning worker thread; the volatile fields are read by
 * the monitor thread while the run goes on (single writer, so plain read-modify-write of a volatile is safe);
 * the others are read only after the worker thread has been joined.
 *
 * <p><b>Engine-internal</b>: public only because other packages of the core use it; not part of the API for users
 * and may change without notice (see DESIGN.md, "Public API").
 */
public final class WorkerStats {
    public final int worker;
    /** The applied updates by staleness: this worker's own, or shared by the run's workers (see the constructor). */
    public final ByStaleness byStaleness;
    /** {@code byStaleness}'s histogram. */
    public final StalenessHistogram staleness;

    /** Steps started (a ticket and a batch were obtained). */
    public volatile long started;

    public volatile long applied;
    public volatile long rejected;
    public volatile long dropped;
    /** Steps whose loss or update was NaN or infinite, not applied (on_non_finite skip or stop). */
    public volatile long nonFinite;
    /** Minibatch gradients computed (one loss each, finite or not). */
    public volatile long gradients;
    /** Sum and count of the finite minibatch losses of this worker's steps, for the loss trace. */
    public volatile double lossSum;

    public volatile long lossCount;
    public volatile long stalenessSum;
    /** Nanoseconds this worker was allowed to run (not waiting because it was inactive). */
    public volatile long activeNanos;

    /** Reservoir of this worker's step compute times in seconds (Algorithm R, seeded per worker); made at the first. */
    private double[] stepTimes;

    private long stepTimesSeen;
    private final SplittableRandom reservoirRandom;
    public static final int STEP_TIME_SAMPLES = 512;

    public double scaleSum;
    public double scaleMin = Double.POSITIVE_INFINITY;
    public double scaleMax = Double.NEGATIVE_INFINITY;
    /** Applied updates whose step-size factor was 0 (dropped by the step-size rule). */
    public long zeroScaled;

    public WorkerStats(int worker) {
        this(worker, null);
    }

    /**
     * @param shared the counts by staleness to record into, shared by all workers of a run whose updates are all
     *               recorded by one thread (the simulator's): the run's memory for them is then O(max τ), not
     *               O(workers × max τ); null: this worker's own (threads: one writer each)
     */
    public WorkerStats(int worker, ByStaleness shared) {
        this.worker = worker;
        this.byStaleness = shared != null ? shared : new ByStaleness();
        this.staleness = byStaleness.histogram;
        this.reservoirRandom = new SplittableRandom(0x5EEDL + worker);
    }

    /** Whether {@link #byStaleness} is shared with other workers. */
    public boolean sharesByStaleness() {
        return byStaleness.shared;
    }

    /** Records the compute time of one step (from ticket to update ready), in seconds. Allocation-free. */
    public void recordStepTime(double seconds) {
        if (stepTimes == null) {
            stepTimes = new double[STEP_TIME_SAMPLES];
        }
        long seen = stepTimesSeen++;
        if (seen < STEP_TIME_SAMPLES) {
            stepTimes[(int) seen] = seconds;
        } else {
            long j = reservoirRandom.nextLong(seen + 1);
            if (j < STEP_TIME_SAMPLES) {
                stepTimes[(int) j] = seconds;
            }
        }
    }

    /** A step was started (a ticket and a batch obtained). Called by the owning worker only, as every count here. */
    @SuppressWarnings("NonAtomicVolatileUpdate") // single writer: the owning worker
    public void countStarted() {
        started++;
    }

    /** A step ended rejected by the dispatcher, or its work was discarded (round-based restarts). */
    @SuppressWarnings("NonAtomicVolatileUpdate") // single writer: the owning worker
    public void countRejected() {
        rejected++;
    }

    /** An accepted update the store gave up (CAS-published persistence bound). */
    @SuppressWarnings("NonAtomicVolatileUpdate") // single writer: the owning worker
    public void countDropped() {
        dropped++;
    }

    /** A step whose loss or update was not finite, not applied. */
    @SuppressWarnings("NonAtomicVolatileUpdate") // single writer: the owning worker
    public void countNonFinite() {
        nonFinite++;
    }

    /** The sampled step times (at most {@link #STEP_TIME_SAMPLES}); read after the worker has stopped. */
    public double[] stepTimeSamples() {
        return stepTimes == null
                ? new double[0]
                : Arrays.copyOf(stepTimes, (int) Math.min(stepTimesSeen, STEP_TIME_SAMPLES));
    }

    @SuppressWarnings("NonAtomicVolatileUpdate") // single writer: the owning worker (the class's protocol)
    public void recordApplied(long tau, double scale) {
        byStaleness.record(tau, scale);
        stalenessSum += tau;
        applied++;
        scaleSum += scale;
        if (scale == 0) {
            zeroScaled++;
        }
        if (scale < scaleMin) {
            scaleMin = scale;
        }
        if (scale > scaleMax) {
            scaleMax = scale;
        }
    }

    @SuppressWarnings("NonAtomicVolatileUpdate") // single writer: the owning worker
    public void recordLoss(double loss) {
        gradients++;
        if (Double.isFinite(loss)) { // a non-finite loss is counted as such (nonFinite), not averaged
            lossSum += loss;
            lossCount++;
        }
    }

    /**
     * The counters, for a checkpoint (read with the worker paused between steps). Not the step
     * time samples: they describe this process's machine, and a resumed run samples afresh.
     */
    public State snapshot() {
        if (byStaleness.shared) {
            throw new IllegalStateException("a checkpoint needs each worker's own counts by staleness");
        }
        List<double[]> byTau = new ArrayList<>();
        for (long[] e : staleness.entries()) {
            byTau.add(new double[] {e[0], e[1], byStaleness.scaleSumAt(e[0])}); // τ, count, factor sum at τ
        }
        return new State(
                started,
                applied,
                rejected,
                dropped,
                nonFinite,
                gradients,
                lossSum,
                lossCount,
                stalenessSum,
                activeNanos,
                scaleSum,
                scaleMin,
                scaleMax,
                zeroScaled,
                byTau);
    }

    /** Takes back the counters of {@link #snapshot} (before the worker starts). */
    public void restore(State m) {
        started = m.started();
        applied = m.applied();
        rejected = m.rejected();
        dropped = m.dropped();
        nonFinite = m.nonFinite();
        gradients = m.gradients();
        lossSum = m.lossSum();
        lossCount = m.lossCount();
        stalenessSum = m.stalenessSum();
        activeNanos = m.activeNanos();
        scaleSum = m.scaleSum();
        scaleMin = m.scaleMin();
        scaleMax = m.scaleMax();
        zeroScaled = m.zeroScaled();
        for (double[] e : m.byStaleness()) {
            byStaleness.restore((long) e[0], (long) e[1], e[2]);
        }
    }

    /** A worker's counters in a checkpoint; {@code byStaleness}: [[τ, count, factor sum at τ], …]. */
    public record State(
            long started,
            long applied,
            long rejected,
            long dropped,
            long nonFinite,
            long gradients,
            double lossSum,
            long lossCount,
            long stalenessSum,
            long activeNanos,
            double scaleSum,
            double scaleMin,
            double scaleMax,
            long zeroScaled,
            List<double[]> byStaleness) {}
}
