package org.dl4jasync.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dl4jasync.dispatch.RoundBoard;
import org.dl4jasync.dispatch.RoundPolicy;

/**
 * The rounds of a K-async or ABS training over a cluster, in one entry ({@code <name>.rounds}): the open round's
 * index and count, its submissions' loss sum, the round policy (K, S and AdaSync's schedule: the first member's,
 * decided here for every member's workers), and the workers each member still has in the training. The rules are
 * the in-process rounds' ({@code KAsyncRounds}): a submission whose base lags more than S rounds restarts its worker;
 * otherwise it enters the open round, with τ = rounds entered since its base, and the submission that brings the
 * count to K — lowered to the workers still present — completes the round, and K and S of the next are decided.
 *
 * <p>Protocol: read and written only by {@link RoundOp}, which Hazelcast runs one at a time at the entry's owner (and
 * on its backups, in the owner's order); so each rule is decided atomically for every member's workers.
 */
final class RoundState implements DataSerializable {
    /** The open round (rounds completed so far). */
    long open;

    int count;
    double lossSum;
    int lossCount;
    RoundPolicy policy;
    /** Each member's workers still in the training (member UUID as text). */
    Map<String, Integer> present = new LinkedHashMap<>();

    /** For deserialisation. */
    public RoundState() {}

    RoundState(RoundPolicy policy) {
        this.policy = policy;
    }

    private int presentWorkers() {
        int n = 0;
        for (int w : present.values()) {
            n += w;
        }
        return n;
    }

    /** K of the open round: the policy's, lowered to the workers that can still submit. */
    int roundSize() {
        return Math.max(1, Math.min(policy.k(), presentWorkers()));
    }

    /** A submission whose gradient read the parameters of {@code base} rounds: the board's entry for it. */
    RoundBoard.Entry take(long base, double loss) {
        long s = policy.maxRoundsBehind();
        long tau = open - base;
        if (tau > s) {
            return new RoundBoard.Entry(-1, tau, 0, policy.k(), s, Double.NaN);
        }
        long round = open;
        count++;
        if (!Double.isNaN(loss)) {
            lossSum += loss;
            lossCount++;
        }
        policy.submitted(loss);
        int closedWith = 0;
        double meanLoss = Double.NaN;
        if (count >= roundSize()) {
            closedWith = count;
            meanLoss = lossCount == 0 ? Double.NaN : lossSum / lossCount;
            close();
        }
        return new RoundBoard.Entry(round, tau, closedWith, policy.k(), policy.maxRoundsBehind(), meanLoss);
    }

    /**
     * {@code workers} of member {@code member} leave (all of them when negative); when the open round then has every
     * submission that can still come, it is completed: returns its index and count as {@code [round, count]}, else
     * null.
     */
    long[] leave(String member, int workers) {
        Integer had = present.get(member);
        if (had == null) {
            return null; // left already (its own end and the others' membership listeners both say so)
        }
        int now = workers < 0 ? 0 : Math.max(0, had - workers);
        if (now == 0) {
            present.remove(member);
        } else {
            present.put(member, now);
        }
        if (count > 0 && count >= roundSize()) {
            long[] sealed = {open, count};
            close();
            return sealed;
        }
        return null;
    }

    void join(String member, int workers) {
        present.merge(member, workers, Integer::sum);
    }

    private void close() {
        policy.roundClosed();
        open++;
        count = 0;
        lossSum = 0;
        lossCount = 0;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(open);
        out.writeInt(count);
        out.writeDouble(lossSum);
        out.writeInt(lossCount);
        out.writeObject(policy); // Java serialisation: the built-in policies are Serializable
        out.writeInt(present.size());
        for (Map.Entry<String, Integer> e : present.entrySet()) {
            out.writeString(e.getKey());
            out.writeInt(e.getValue());
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        open = in.readLong();
        count = in.readInt();
        lossSum = in.readDouble();
        lossCount = in.readInt();
        policy = in.readObject();
        int n = in.readInt();
        present = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            present.put(in.readString(), in.readInt());
        }
    }
}
