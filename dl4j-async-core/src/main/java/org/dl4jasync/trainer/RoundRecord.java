package org.dl4jasync.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dl4jasync.dispatch.RoundPolicy;
import org.dl4jasync.metrics.ReportBuilder;

/**
 * What {@link KAsyncRounds} records of its rounds for the report and the checkpoints: the counts of submissions
 * (uploads) and forced restarts, and the traces of K and S (each a point where the policy changed them).
 *
 * <p>Protocol: not thread-safe; every call is made under the monitor of the owning {@link KAsyncRounds}.
 */
final class RoundRecord {
    private final RoundPolicy policy;
    private long restarts;
    private long uploads;
    private int lastK;
    private long lastS;
    /** [[seconds, rounds, K], …]. */
    private final List<Number[]> kTrace = new ArrayList<>();
    /** [[seconds, rounds, S (null: unbounded)], …]. */
    private final List<Number[]> sTrace = new ArrayList<>();
    /** Rounds closed before this run (a resumed run's checkpoint); written before the workers start. */
    private long roundsBefore;

    RoundRecord(RoundPolicy policy) {
        this.policy = policy;
        this.lastK = policy.k();
        this.lastS = policy.maxRoundsBehind();
        kTrace.add(new Number[] {0.0, 0L, lastK});
        sTrace.add(new Number[] {0.0, 0L, sOf(lastS)});
    }

    private static Long sOf(long s) {
        return s == Long.MAX_VALUE ? null : s;
    }

    void restarted() {
        restarts++;
    }

    void uploaded() {
        uploads++;
    }

    /** Round {@code r} of this run closed at {@code now}: a trace point for K or S when the policy changed it. */
    void closed(long r, double now) {
        closed(r, now, policy.k(), policy.maxRoundsBehind());
    }

    /** Round {@code r} closed at {@code now}, after which K is {@code k} and S {@code s} (a round board's). */
    void closed(long r, double now, int k, long s) {
        if (k != lastK) {
            lastK = k;
            kTrace.add(new Number[] {now, roundsBefore + r + 1, lastK});
        }
        if (s != lastS) {
            lastS = s;
            sTrace.add(new Number[] {now, roundsBefore + r + 1, sOf(lastS)});
        }
    }

    /** The report's rounds section, with {@code closed} rounds closed in this run. */
    void report(ReportBuilder report, long closed) {
        report.rounds(roundsBefore + closed);
        report.uploads(uploads);
        report.restarts(restarts);
        if (policy.adaptiveK()) {
            report.kTrace(new ArrayList<>(kTrace));
        }
        if (lastS != Long.MAX_VALUE || sTrace.size() > 1) {
            report.sTrace(new ArrayList<>(sTrace));
        }
    }

    /** The checkpoint state, with {@code closed} rounds closed in this run and the policy's own state. */
    State state(long closed, Map<String, Object> policyState) {
        return new State(
                roundsBefore + closed,
                uploads,
                restarts,
                lastK,
                lastS,
                new ArrayList<>(kTrace),
                new ArrayList<>(sTrace),
                policyState);
    }

    void restore(State state) {
        roundsBefore = state.rounds();
        uploads = state.uploads();
        restarts = state.restarts();
        lastK = state.lastK();
        lastS = state.lastS();
        kTrace.clear();
        for (Number[] e : state.kTrace()) {
            kTrace.add(new Number[] {e[0].doubleValue(), e[1].longValue(), e[2].intValue()});
        }
        sTrace.clear();
        for (Number[] e : state.sTrace()) {
            sTrace.add(new Number[] {e[0].doubleValue(), e[1].longValue(), e[2] == null ? null : e[2].longValue()});
        }
    }

    /**
     * The rounds' checkpoint state: the counts, the K and S traces ([[seconds, rounds, value], …]) and the round
     * policy's own state ({@link org.dl4jasync.checkpoint.CheckpointStates}; null: a policy without state).
     */
    record State(
            long rounds,
            long uploads,
            long restarts,
            int lastK,
            long lastS,
            List<Number[]> kTrace,
            List<Number[]> sTrace,
            Map<String, Object> policy) {}
}
