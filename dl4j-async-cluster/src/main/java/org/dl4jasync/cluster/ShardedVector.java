package org.dl4jasync.cluster;

import com.hazelcast.map.IMap;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A flat float vector cut into {@code S} shards, each one {@link Shard} entry of a map (keys 0..S−1, spread by
 * Hazelcast over the partitions and so over the members): the store's parameters, and its shared optimizer state.
 * Shard s covers {@code [bounds[s], bounds[s + 1])}. Reads take every shard at once; an add sends one
 * {@link ApplyShard} per shard (the slice, never the vector).
 */
final class ShardedVector {
    final IMap<Integer, Shard> map;
    final int length;
    private final int[] bounds;
    private final Set<Integer> keys = new HashSet<>();
    private final ClusterCalls calls;
    private final ClusterTraffic traffic;
    private final String what;

    /**
     * The vector in {@code map}; the first process to come puts {@code start}'s shards (the others find them and
     * check the layout). {@code what} names it in errors ("parameters", "optimizer state").
     */
    ShardedVector(
            IMap<Integer, Shard> map,
            float[] start,
            int shards,
            ClusterCalls calls,
            ClusterTraffic traffic,
            String what,
            String name) {
        this.map = map;
        this.length = start.length;
        this.calls = calls;
        this.traffic = traffic;
        this.what = what;
        if (shards < 1 || shards > Math.max(1, length)) {
            throw new IllegalArgumentException("shards must be in 1.." + Math.max(1, length) + ", got " + shards);
        }
        this.bounds = new int[shards + 1];
        for (int s = 0; s <= shards; s++) {
            bounds[s] = (int) ((long) length * s / shards);
            if (s < shards) {
                keys.add(s);
            }
        }
        for (int s = 0; s < shards; s++) {
            map.putIfAbsent(s, new Shard(slice(start, s)));
        }
        Shard first = map.get(0);
        if (first == null || first.values.length != bounds[1] - bounds[0]) {
            throw new IllegalStateException("the cluster's store '" + name + "' has another layout of its " + what
                    + " (shard 0: " + (first == null ? "missing" : first.values.length + " values")
                    + ", this model's: " + (bounds[1] - bounds[0])
                    + "): every member must train the same model with the same shards and optimizer state");
        }
    }

    int shards() {
        return bounds.length - 1;
    }

    /** The values of shard {@code s} in {@code flat} (this vector's layout). */
    float[] slice(float[] flat, int s) {
        return Arrays.copyOfRange(flat, bounds[s], bounds[s + 1]);
    }

    /**
     * Copies every shard into {@code flat}; not a consistent cut. Returns the lowest version of the shards read (with
     * rounds: every shard holds at least that many rounds).
     */
    long readInto(float[] flat) {
        int shards = shards();
        @SuppressWarnings("unchecked")
        CompletableFuture<Shard>[] parts = new CompletableFuture[shards];
        for (int s = 0; s < shards; s++) {
            parts[s] = map.getAsync(s).toCompletableFuture();
        }
        calls.await(CompletableFuture.allOf(parts), "reading the " + what);
        long lowest = Long.MAX_VALUE;
        for (int s = 0; s < shards; s++) {
            Shard part = parts[s].join();
            if (part == null) {
                throw new ClusterUnavailableException(
                        "shard " + s + " of the " + what + " is missing: a member was lost with no backup of it"
                                + calls.lostMembers(),
                        null);
            }
            System.arraycopy(part.values, 0, flat, bounds[s], bounds[s + 1] - bounds[s]);
            lowest = Math.min(lowest, part.version);
            traffic.received(Float.BYTES * (long) part.values.length + Long.BYTES);
        }
        return lowest;
    }

    /** {@code v ← v − factor · values} shard by shard, all sent at once; returns when every shard has it. */
    void subtract(float[] values, float factor) {
        int shards = shards();
        CompletableFuture<?>[] parts = new CompletableFuture<?>[shards];
        for (int s = 0; s < shards; s++) {
            float[] part = slice(values, s);
            parts[s] = map.submitToKey(s, new ApplyShard(part, factor)).toCompletableFuture();
            traffic.sent(ApplyShard.payloadBytes(part.length));
        }
        calls.await(CompletableFuture.allOf(parts), "applying an update to the " + what);
    }

    /** Every shard's own version. */
    long[] versions() {
        Map<Integer, Shard> all = map.getAll(keys);
        if (all.size() != shards()) {
            throw new ClusterUnavailableException(
                    "the cluster holds " + all.size() + " of the " + what + "'s " + shards() + " shards"
                            + calls.lostMembers(),
                    null);
        }
        long[] v = new long[shards()];
        for (Map.Entry<Integer, Shard> e : all.entrySet()) {
            v[e.getKey()] = e.getValue().version;
        }
        return v;
    }
}
