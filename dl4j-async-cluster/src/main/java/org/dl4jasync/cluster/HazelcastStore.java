package org.dl4jasync.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.dl4jasync.model.Replica;
import org.dl4jasync.model.TrainableModel;
import org.dl4jasync.parameters.ContentionModel;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.parameters.StepScaler;
import org.dl4jasync.parameters.UpdateFormer;
import org.dl4jasync.parameters.WorkerView;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The shared parameters on a Hazelcast cluster: the flat vector cut into {@code S} shards, each one entry of an
 * {@link IMap} ({@code <name>.params}, keys 0..S−1, spread by Hazelcast over the partitions and so over the members),
 * and a clock: one entry of {@code <name>.clock} that counts the updates.
 *
 * <p><b>An update</b> is, in this order: (1) {@link TakeTicket} on the clock, at its owner: the staleness bound is
 * checked and the version taken in one atomic step; (2) one {@link ApplyShard} per shard, sent at once to the shards'
 * owners, each applied atomically for its shard by the owner's partition thread (no lock of ours); the apply returns
 * when every shard has applied it. Backups receive the same processors (the update, never the vector).
 *
 * <p><b>What τ means across shards</b>: the version is the clock, which every update increments exactly once, at
 * its ticket; a read takes the clock first, then the shards. An update's τ = (clock value its ticket took) −
 * (clock value its gradient's read took): exactly the number of updates that took a ticket in between, as for the
 * in-process HOGWILD! store (whose version is also taken before the write). As there, a read is not a consistent
 * cut: a shard may already hold an update whose ticket is after the read's clock, or not yet hold one from before
 * (in flight); each shard, though, always holds a whole number of updates, each applied exactly once. At rest every
 * shard's own version equals the clock (the exactness check of the tests).
 *
 * <p>A shared optimizer state is not kept here yet (the options refuse {@code optimizer_state: shared} with this
 * store). Only FLOAT parameters (DL4J's default).
 */
final class HazelcastStore implements ParameterStore {
    /** The clock's only key. */
    static final Integer CLOCK = 0;

    private final HazelcastInstance hazelcast;
    private final TrainableModel model;
    private final IMap<Integer, Shard> params;
    private final IMap<Integer, Long> clock;
    private final int length;
    /** Shard s covers [bounds[s], bounds[s + 1]). */
    private final int[] bounds;

    private final Set<Integer> keys = new HashSet<>();
    private final ClusterCalls calls;
    private final ClusterTraffic traffic;
    /** Updates this store object applied (this process's part of the clock). One increment per applied update. */
    private final AtomicLong applied = new AtomicLong();
    /**
     * Set once, before the workers start, when the training is K-async or ABS ({@link HazelcastRounds}): the shards'
     * versions count rounds, and a read's version is the fewest rounds any shard it read held.
     */
    private volatile boolean rounds;

    /**
     * Connects to (and, the first to come, initialises) the store {@code name} on {@code hazelcast}'s cluster. Every
     * member's model has the same layout; the parameters the first member puts are everyone's start (a member's own
     * initial values are replaced at its first read).
     */
    HazelcastStore(
            HazelcastInstance hazelcast, String name, TrainableModel model, int shards, int backups, Duration timeout) {
        this.hazelcast = hazelcast;
        this.model = model;
        INDArray own = model.params();
        if (own.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException(
                    "the cluster store keeps FLOAT parameters (DL4J's default); the network's are " + own.dataType());
        }
        if (own.length() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("parameter vectors above 2^31 - 1 elements are not supported");
        }
        this.length = (int) own.length();
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
        this.calls = new ClusterCalls(hazelcast, timeout, backups);
        this.traffic = new ClusterTraffic();
        // the maps' configuration, added to the running cluster (Hazelcast's dynamic configuration): the values are
        // kept as objects, so an entry processor works on the shard itself with no (de)serialisation per call
        calls.configureMap(name + ".params");
        calls.configureMap(name + ".clock");
        this.params = hazelcast.getMap(name + ".params");
        this.clock = hazelcast.getMap(name + ".clock");
        float[] start = own.dup().toFloatVector();
        for (int s = 0; s < shards; s++) {
            float[] part = new float[bounds[s + 1] - bounds[s]];
            System.arraycopy(start, bounds[s], part, 0, part.length);
            params.putIfAbsent(s, new Shard(part));
        }
        clock.putIfAbsent(CLOCK, 0L);
        ClusterReport.participants(hazelcast, name)
                .put(
                        hazelcast.getCluster().getLocalMember().getUuid(),
                        hazelcast.getCluster().getLocalMember().getAddress().toString());
        Shard first = params.get(0);
        if (first == null || first.values.length != bounds[1] - bounds[0]) {
            throw new IllegalStateException("the cluster's store '" + name + "' has another layout (shard 0: "
                    + (first == null ? "missing" : first.values.length + " values") + ", this model's: "
                    + (bounds[1] - bounds[0]) + "): every member must train the same model with the same shards");
        }
    }

    /** The bytes this process's store has sent and received so far (payloads of our operations). */
    ClusterTraffic traffic() {
        return traffic;
    }

    ClusterCalls calls() {
        return calls;
    }

    IMap<Integer, Shard> params() {
        return params;
    }

    /** The values of shard {@code s} in {@code update} (the model's flat layout). */
    float[] slice(float[] update, int s) {
        return Arrays.copyOfRange(update, bounds[s], bounds[s + 1]);
    }

    /** A round this process's submission completed (with rounds, {@link #applied} counts them). */
    void roundClosedHere() {
        applied.incrementAndGet();
    }

    /** From now on the shards' versions count the rounds of {@link HazelcastRounds}, which applies them. */
    void countRounds() {
        rounds = true;
    }

    int shards() {
        return bounds.length - 1;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public long version() {
        Long v = calls.await(clock.getAsync(CLOCK).toCompletableFuture(), "reading the clock");
        traffic.received(Long.BYTES);
        return v == null ? 0 : v;
    }

    /** The updates this process applied (the clock counts every process's). */
    @Override
    public long applied() {
        return applied.get();
    }

    /**
     * The report's {@code store_stats}: the cluster's members now, the shards and backups, the clock (every process's
     * updates) and this process's part, the payload bytes this process sent and received (in all and per applied
     * update) and its mean read and apply latencies, and the members lost during the training.
     */
    @Override
    public Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(
                "members",
                hazelcast.getLifecycleService().isRunning()
                        ? hazelcast.getCluster().getMembers().size()
                        : null);
        m.put("shards", shards());
        m.put("clock", rounds ? roundsOrNull() : clockOrNull());
        long mine = applied.get();
        m.put("applied_here", mine);
        m.put("bytes_sent", traffic.sentBytes());
        m.put("bytes_received", traffic.receivedBytes());
        m.put("bytes_sent_per_update", mine == 0 ? null : traffic.sentBytes() / (double) mine);
        m.put("read_ms_mean", traffic.readMillis());
        m.put("apply_ms_mean", traffic.applyMillis());
        m.put("members_lost", calls.lostAddresses());
        return m;
    }

    /** The clock, or null when the cluster cannot say (the report is written all the same). */
    private Long clockOrNull() {
        if (!hazelcast.getLifecycleService().isRunning()) {
            return null;
        }
        try {
            return version();
        } catch (ClusterUnavailableException e) {
            return null;
        }
    }

    /** With rounds: the rounds every shard has applied, or null when the cluster cannot say. */
    private Long roundsOrNull() {
        if (!hazelcast.getLifecycleService().isRunning()) {
            return null;
        }
        try {
            long lowest = Long.MAX_VALUE;
            for (long v : shardVersions()) {
                lowest = Math.min(lowest, v);
            }
            return lowest;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Every shard's own version (at rest each equals {@link #version()}). */
    long[] shardVersions() {
        Map<Integer, Shard> all = params.getAll(keys);
        if (all.size() != shards()) {
            throw new ClusterUnavailableException(
                    "the cluster holds " + all.size() + " of the store's " + shards() + " shards" + calls.lostMembers(),
                    null);
        }
        long[] v = new long[shards()];
        for (Map.Entry<Integer, Shard> e : all.entrySet()) {
            v[e.getKey()] = e.getValue().version;
        }
        return v;
    }

    @Override
    public WorkerView newWorkerView(int worker) {
        INDArray own = model.params().dup();
        Replica replica = model.newReplica(own);
        return new WorkerView() {
            @Override
            public Replica replica() {
                return replica;
            }

            @Override
            public long read() {
                long t0 = System.nanoTime();
                long v = rounds ? readInto(own) : version(); // the clock before the shards (see the class comment)
                if (!rounds) {
                    readInto(own);
                }
                traffic.read(System.nanoTime() - t0);
                return v;
            }

            @Override
            public void release() {}

            @Override
            public long apply(
                    INDArray update, long readVersion, long maxStaleness, StepScaler scaler, UpdateFormer former) {
                if (rounds) {
                    throw new IllegalStateException("a K-async or ABS training applies its rounds at the shards");
                }
                if (former != null) {
                    throw new IllegalStateException("the cluster store keeps no shared optimizer state");
                }
                long t0 = System.nanoTime();
                Long tau = calls.await(
                        clock.submitToKey(CLOCK, new TakeTicket(readVersion, maxStaleness))
                                .toCompletableFuture(),
                        "taking a ticket");
                traffic.sent(TakeTicket.PAYLOAD_BYTES);
                traffic.received(Long.BYTES);
                if (tau == STALE) {
                    return STALE;
                }
                float factor = (float) scaler.factor(tau);
                int shards = shards();
                CompletableFuture<?>[] parts = new CompletableFuture<?>[shards];
                float[] values = update.toFloatVector();
                for (int s = 0; s < shards; s++) {
                    float[] part = Arrays.copyOfRange(values, bounds[s], bounds[s + 1]);
                    parts[s] =
                            params.submitToKey(s, new ApplyShard(part, factor)).toCompletableFuture();
                    traffic.sent(ApplyShard.payloadBytes(part.length));
                }
                calls.await(CompletableFuture.allOf(parts), "applying an update");
                applied.incrementAndGet();
                traffic.applied(System.nanoTime() - t0);
                return tau;
            }
        };
    }

    /**
     * Copies every shard into {@code destination} (of the model's layout); the read of the shards, not consistent.
     * Returns the lowest version of the shards it read (with rounds: every shard holds at least that many rounds).
     */
    private long readInto(INDArray destination) {
        int shards = shards();
        @SuppressWarnings("unchecked")
        CompletableFuture<Shard>[] parts = new CompletableFuture[shards];
        for (int s = 0; s < shards; s++) {
            parts[s] = params.getAsync(s).toCompletableFuture();
        }
        calls.await(CompletableFuture.allOf(parts), "reading the parameters");
        float[] flat = new float[length];
        long lowest = Long.MAX_VALUE;
        for (int s = 0; s < shards; s++) {
            Shard part = parts[s].join();
            if (part == null) {
                throw new ClusterUnavailableException(
                        "shard " + s + " of the store is missing: a member was lost with no backup of it"
                                + calls.lostMembers(),
                        null);
            }
            System.arraycopy(part.values, 0, flat, bounds[s], bounds[s + 1] - bounds[s]);
            lowest = Math.min(lowest, part.version);
            traffic.received(Float.BYTES * (long) part.values.length + Long.BYTES);
        }
        destination.assign(Nd4j.createFromArray(flat).reshape(destination.shape()));
        return lowest;
    }

    @Override
    public void copyLatestTo(INDArray destination) {
        readInto(destination);
    }

    @Override
    public long droppedUpdates() {
        return 0;
    }

    @Override
    public boolean sharesBufferWith(INDArray other) {
        return false;
    }

    /** The cluster store does not run in virtual time (the options refuse it in a simulation). */
    @Override
    public ContentionModel contention() {
        throw new UnsupportedOperationException("the cluster store has no virtual-time contention model");
    }

    /** The cluster's maps outlive this process's use of them (other members may still train on them). */
    @Override
    public void close() {
        calls.close();
    }
}
