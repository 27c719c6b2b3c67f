package org.dl4jasync.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * One shard of the flat parameter vector: the values of {@code [from, from + values.length)} and the number of
 * updates applied to it. The value of one entry of the store's map; stored as the object itself ({@code OBJECT}
 * in-memory format), so an update's {@link ApplyShard} writes into {@link #values} where they lie.
 *
 * <p>With K-async or ABS ({@link HazelcastRounds}) the shard also collects the rounds' submissions for its slice:
 * {@link #pending} sums the deposits of every round not applied yet, and a round is applied here (the average of its
 * submissions, one version) once its size is sealed and every one of them has arrived, and only after the rounds
 * before it: so {@link #version} counts the rounds applied, in round order, and every shard applies the same rounds.
 *
 * <p>Protocol: written only by entry processors, which Hazelcast runs one at a time per partition on the entry's
 * owner (and, for the backup, on each backup member, in the owner's order); a reader gets a serialised copy.
 */
final class Shard implements DataSerializable {
    float[] values;
    /** Updates (rounds, with K-async/ABS) applied to this shard: at rest every shard's version is the store's. */
    long version;
    /** Rounds collected but not applied, by round index; null when none. */
    TreeMap<Long, Pending> pending;

    /** For deserialisation. */
    public Shard() {}

    Shard(float[] values) {
        this.values = values;
    }

    /** One round's sum of scaled deposits for this slice, their number, and its size once sealed (−1 before). */
    static final class Pending {
        final float[] sum;
        int received;
        int expected = -1;

        Pending(int length) {
            this(new float[length]);
        }

        Pending(float[] sum) {
            this.sum = sum;
        }
    }

    /** The round {@code round}'s collection (made on its first deposit or seal). */
    Pending pending(long round) {
        if (round < version) {
            throw new IllegalStateException(
                    "round " + round + " was already applied to this shard (at round " + version + ")");
        }
        if (pending == null) {
            pending = new TreeMap<>();
        }
        return pending.computeIfAbsent(round, r -> new Pending(values.length));
    }

    /** Applies every complete round that is next in order: θ ← θ − (sum of scaled deposits) / count. */
    void applyCompleteRounds() {
        while (pending != null) {
            Pending p = pending.get(version);
            if (p == null || p.expected < 0 || p.received < p.expected) {
                return;
            }
            float inv = 1f / p.expected;
            float[] v = values;
            for (int i = 0; i < v.length; i++) {
                v[i] -= p.sum[i] * inv;
            }
            pending.remove(version);
            version++;
            if (pending.isEmpty()) {
                pending = null;
            }
        }
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(version);
        out.writeFloatArray(values);
        out.writeInt(pending == null ? 0 : pending.size());
        if (pending != null) {
            for (Map.Entry<Long, Pending> e : pending.entrySet()) {
                out.writeLong(e.getKey());
                out.writeInt(e.getValue().received);
                out.writeInt(e.getValue().expected);
                out.writeFloatArray(e.getValue().sum);
            }
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        version = in.readLong();
        values = in.readFloatArray();
        int n = in.readInt();
        pending = n == 0 ? null : new TreeMap<>();
        for (int i = 0; i < n; i++) {
            long round = in.readLong();
            int received = in.readInt();
            int expected = in.readInt();
            float[] sum = in.readFloatArray();
            Pending p = new Pending(sum);
            p.received = received;
            p.expected = expected;
            pending.put(round, p);
        }
    }
}
