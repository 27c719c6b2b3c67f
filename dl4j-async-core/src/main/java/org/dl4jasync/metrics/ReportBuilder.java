package org.dl4jasync.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fills a report: the engine's report assembler, and the parts of a run that own a section (a dispatcher's
 * label and interval trace, the elastic controller's parallelism trace and break-even, a policy's settings).
 * {@link #build()} hands the report over; the builder is not used afterwards.
 */
public final class ReportBuilder {
    private TrainingReport r = new TrainingReport();

    /** The report's {@code config}, for the parts that record a setting of theirs. */
    public Map<String, Object> config() {
        return r.config;
    }

    /** The algorithm label so far (a dispatcher or controller may refine it). */
    public String algorithm() {
        return r.algorithm;
    }

    /**
     * The step counts, acceptance rate, staleness and step-scale sections from the workers' counters (after the
     * workers have stopped); {@code accepted} is the number of applied updates (the store's version).
     */
    public ReportBuilder steps(WorkerStats[] stats, long accepted) {
        fillSteps(stats, accepted);
        return this;
    }

    /** The step-size policy with its parameters, and whether its factors have mean 1. */
    public ReportBuilder stepScalePolicy(String policy, boolean normalized) {
        r.stepScale.policy = policy;
        r.stepScale.normalized = normalized;
        return this;
    }

    /** One worker's sample of step compute times (real runs). */
    public ReportBuilder addStepTimeSamples(double[] samples) {
        r.stepTimeSamples.add(samples);
        return this;
    }

    public ReportBuilder algorithm(String value) {
        r.algorithm = value;
        return this;
    }

    public ReportBuilder store(String value) {
        r.store = value;
        return this;
    }

    public ReportBuilder stepSize(String value) {
        r.stepSize = value;
        return this;
    }

    public ReportBuilder workers(int value) {
        r.workers = value;
        return this;
    }

    public ReportBuilder stopReason(StopReason value) {
        r.stopReason = value;
        return this;
    }

    public ReportBuilder stepsStarted(long value) {
        r.stepsStarted = value;
        return this;
    }

    public ReportBuilder stepsAccepted(long value) {
        r.stepsAccepted = value;
        return this;
    }

    public ReportBuilder acceptanceRate(double value) {
        r.acceptanceRate = value;
        return this;
    }

    public ReportBuilder wallSeconds(double value) {
        r.wallSeconds = value;
        return this;
    }

    public ReportBuilder evaluationSeconds(Double value) {
        r.evaluationSeconds = value;
        return this;
    }

    public ReportBuilder workerSeconds(double value) {
        r.workerSeconds = value;
        return this;
    }

    public ReportBuilder stepsPerSecond(double value) {
        r.stepsPerSecond = value;
        return this;
    }

    public ReportBuilder gradientsComputed(Long value) {
        r.gradientsComputed = value;
        return this;
    }

    public ReportBuilder batchesProcessed(long value) {
        r.batchesProcessed = value;
        return this;
    }

    public ReportBuilder epochsCompleted(int value) {
        r.epochsCompleted = value;
        return this;
    }

    public ReportBuilder intervalTrace(List<long[]> value) {
        r.intervalTrace = value;
        return this;
    }

    public ReportBuilder intervalsCompleted(Long value) {
        r.intervalsCompleted = value;
        return this;
    }

    /** K-async, ABS: rounds closed (each one applied update). */
    public ReportBuilder rounds(long value) {
        r.boundedStaleness.rounds = value;
        return this;
    }

    /** K-async, ABS: submissions that entered a round. */
    public ReportBuilder uploads(long value) {
        r.boundedStaleness.uploads = value;
        return this;
    }

    /** ABS: forced restarts. */
    public ReportBuilder restarts(long value) {
        r.boundedStaleness.restarts = value;
        return this;
    }

    /** Adaptive K: [[seconds, rounds, K], …]. */
    public ReportBuilder kTrace(List<Number[]> value) {
        r.boundedStaleness.kTrace = value;
        return this;
    }

    /** ABS: [[seconds, rounds, S], …]. */
    public ReportBuilder sTrace(List<Number[]> value) {
        r.boundedStaleness.sTrace = value;
        return this;
    }

    /** SSP: the largest clock spread seen at a step's start. */
    public ReportBuilder clockSpreadMax(long value) {
        r.boundedStaleness.clockSpreadMax = value;
        return this;
    }

    public ReportBuilder parallelismTrace(List<Number[]> value) {
        r.parallelismTrace = value;
        return this;
    }

    public ReportBuilder breakEven(BreakEven value) {
        r.breakEven = value;
        return this;
    }

    public ReportBuilder ainTrace(List<TracePoint> value) {
        r.ainTrace = value;
        return this;
    }

    public ReportBuilder failedCas(Long value) {
        r.failedCas = value;
        return this;
    }

    public ReportBuilder lossTrace(List<TracePoint> value) {
        r.lossTrace = value;
        return this;
    }

    public ReportBuilder accuracyTrace(List<TracePoint> value) {
        r.accuracyTrace = value;
        return this;
    }

    public ReportBuilder finalAccuracy(Double value) {
        r.finalAccuracy = value;
        return this;
    }

    public ReportBuilder timeToTargetSeconds(Double value) {
        r.timeToTargetSeconds = value;
        return this;
    }

    public ReportBuilder virtualSeconds(Double value) {
        r.virtualSeconds = value;
        return this;
    }

    public ReportBuilder storeStats(Map<String, Object> value) {
        r.storeStats = value;
        return this;
    }

    public ReportBuilder checkpoints(Map<String, Object> value) {
        r.checkpoints = value;
        return this;
    }

    public TrainingReport build() {
        TrainingReport out = r;
        r = null;
        return out;
    }

    /**
     * Fills the step counts, acceptance rate, staleness and step-scale sections from the workers' counters (after
     * the workers have stopped). {@code accepted} is the number of applied updates (the store's version).
     */
    private void fillSteps(WorkerStats[] stats, long accepted) {
        TrainingReport r = this.r;
        StalenessHistogram all = new StalenessHistogram();
        long started = 0;
        long rejected = 0;
        long dropped = 0;
        long nonFinite = 0;
        double scaleSum = 0;
        double scaleMin = Double.POSITIVE_INFINITY;
        double scaleMax = Double.NEGATIVE_INFINITY;
        long zeroScaled = 0;
        // the distinct counts by staleness: each worker's own, or one shared by all (simulation)
        Set<ByStaleness> byTau = Collections.newSetFromMap(new IdentityHashMap<>());
        for (WorkerStats s : stats) {
            zeroScaled += s.zeroScaled;
            if (byTau.add(s.byStaleness)) {
                all.merge(s.staleness);
            }
            started += s.started;
            rejected += s.rejected;
            dropped += s.dropped;
            nonFinite += s.nonFinite;
            scaleSum += s.scaleSum;
            scaleMin = Math.min(scaleMin, s.scaleMin);
            scaleMax = Math.max(scaleMax, s.scaleMax);
        }
        r.stepsStarted = started;
        r.batchesProcessed = started;
        r.stepsAccepted = accepted;
        r.stepsRejected = rejected;
        r.stepsDropped = dropped;
        r.stepsNonFinite = nonFinite;
        long fates = accepted + rejected + dropped + nonFinite; // steps in flight when a simulation stops: none yet
        r.acceptanceRate = fates == 0 ? 0 : (double) accepted / fates;
        r.staleness.fill(all);
        if (all.total() > 0) {
            r.stepScale.mean = scaleSum / all.total();
            r.stepScale.min = scaleMin;
            r.stepScale.max = scaleMax;
            r.stepScale.zeroScaled = zeroScaled;
            r.stepScale.byStaleness = new ArrayList<>();
            for (long tau = 0; tau <= all.max(); tau++) {
                long n = all.count(tau);
                if (n > 0) {
                    double sum = 0;
                    for (ByStaleness b : byTau) {
                        sum += b.scaleSumAt(tau);
                    }
                    r.stepScale.byStaleness.add(new double[] {tau, sum / n});
                }
            }
        }
    }
}
