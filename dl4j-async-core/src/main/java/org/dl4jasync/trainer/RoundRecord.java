package org.dl4jasync.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dl4jasync.checkpoint.StateValues;
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
        if (policy.k() != lastK) {
            lastK = policy.k();
            kTrace.add(new Number[] {now, roundsBefore + r + 1, lastK});
        }
        if (policy.maxRoundsBehind() != lastS) {
            lastS = policy.maxRoundsBehind();
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

    /** The counts and traces into a checkpoint's {@code s}, with {@code closed} rounds closed in this run. */
    void checkpoint(Map<String, Object> s, long closed) {
        s.put("rounds", roundsBefore + closed);
        s.put("uploads", uploads);
        s.put("restarts", restarts);
        s.put("last_k", lastK);
        s.put("last_s", lastS);
        s.put("k_trace", new ArrayList<>(kTrace));
        s.put("s_trace", new ArrayList<>(sTrace));
    }

    void restore(Map<String, Object> state) {
        roundsBefore = StateValues.getLong(state, "rounds");
        uploads = StateValues.getLong(state, "uploads");
        restarts = StateValues.getLong(state, "restarts");
        lastK = StateValues.getInt(state, "last_k");
        lastS = StateValues.getLong(state, "last_s");
        kTrace.clear();
        for (Object o : StateValues.getList(state, "k_trace")) {
            double[] e = StateValues.asDoubles(o);
            kTrace.add(new Number[] {e[0], (long) e[1], (int) e[2]});
        }
        sTrace.clear();
        for (Object o : StateValues.getList(state, "s_trace")) {
            List<?> e = (List<?>) o;
            sTrace.add(new Number[] {
                StateValues.asDouble(e.get(0)),
                (long) StateValues.asDouble(e.get(1)),
                e.get(2) == null ? null : (long) StateValues.asDouble(e.get(2))
            });
        }
    }
}
