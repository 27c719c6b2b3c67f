package org.dl4jasync.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * <p><b>A shared optimizer state</b> ({@code optimizer_state: shared}) lives in its own shards ({@code <name>.state},
 * the model's flat updater state). An update, once its ticket is taken, reads the state as it is, lets the worker's
 * DL4J updater form the update from the gradient and advance that copy, and sends the change it made, which the
 * owners add ({@link ApplyShard} with factor −1): every update's change lands, concurrent ones interleaving as on the
 * in-process HOGWILD! store's shared array, but none is lost. Deviation from a parameter server, which runs the
 * optimizer at the server: the updater runs where DL4J's does, on the worker (its per-layer configuration, gradient
 * normalisation and regularisation need the whole layer, which a shard does not hold); the state's change travels
 * instead (as many floats as the state: 2× the parameters with Adam). Only FLOAT parameters and state (DL4J's
 * default).
 */
final class HazelcastStore implements ParameterStore {
    /** The clock's only key. */
    static final Integer CLOCK = 0;

    private final HazelcastInstance hazelcast;
    private final TrainableModel model;
    private final IMap<Integer, Long> clock;
    private final ShardedVector params;
    private final int length;
    /** The shared optimizer state (the model's flat updater state, its own shards), or null: per-worker states. */
    private final ShardedVector state;

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
        this(hazelcast, name, model, shards, backups, timeout, null);
    }

    /**
     * With {@code sharedState} (non-null: the model's updater state, where the shared state starts) the store also
     * keeps the one optimizer state, in {@code <name>.state}, cut into the same number of shards.
     */
    HazelcastStore(
            HazelcastInstance hazelcast,
            String name,
            TrainableModel model,
            int shards,
            int backups,
            Duration timeout,
            INDArray sharedState) {
        this.hazelcast = hazelcast;
        this.model = model;
        INDArray own = model.params();
        for (INDArray a : sharedState == null ? new INDArray[] {own} : new INDArray[] {own, sharedState}) {
            if (a.dataType() != DataType.FLOAT) {
                throw new IllegalArgumentException("the cluster store keeps FLOAT parameters and optimizer state "
                        + "(DL4J's default); the network's are " + a.dataType());
            }
            if (a.length() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("vectors above 2^31 - 1 elements are not supported");
            }
        }
        this.length = (int) own.length();
        this.calls = new ClusterCalls(hazelcast, timeout, backups);
        this.traffic = new ClusterTraffic();
        // the maps' configuration, added to the running cluster (Hazelcast's dynamic configuration): the values are
        // kept as objects, so an entry processor works on the shard itself with no (de)serialisation per call
        calls.configureMap(name + ".params");
        calls.configureMap(name + ".clock");
        this.clock = hazelcast.getMap(name + ".clock");
        this.params = new ShardedVector(
                hazelcast.getMap(name + ".params"),
                own.dup().toFloatVector(),
                shards,
                calls,
                traffic,
                "parameters",
                name);
        if (sharedState != null) {
            calls.configureMap(name + ".state");
            this.state = new ShardedVector(
                    hazelcast.getMap(name + ".state"),
                    sharedState.dup().toFloatVector(),
                    Math.min(shards, Math.max(1, (int) sharedState.length())),
                    calls,
                    traffic,
                    "optimizer state",
                    name);
        } else {
            this.state = null;
        }
        clock.putIfAbsent(CLOCK, 0L);
        ClusterReport.participants(hazelcast, name)
                .put(
                        hazelcast.getCluster().getLocalMember().getUuid(),
                        hazelcast.getCluster().getLocalMember().getAddress().toString());
    }

    /** The bytes this process's store has sent and received so far (payloads of our operations). */
    ClusterTraffic traffic() {
        return traffic;
    }

    ClusterCalls calls() {
        return calls;
    }

    IMap<Integer, Shard> params() {
        return params.map;
    }

    /** The values of shard {@code s} in {@code update} (the model's flat layout). */
    float[] slice(float[] update, int s) {
        return params.slice(update, s);
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
        return params.shards();
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
        return params.versions();
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
                if (former != null && state == null) {
                    throw new IllegalStateException("an update to form, but the store keeps no shared state");
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
                float[] change = former == null ? null : form(former);
                params.subtract(update.toFloatVector(), factor);
                if (change != null) {
                    state.subtract(change, -1f); // state ← state + this update's change of it
                }
                applied.incrementAndGet();
                traffic.applied(System.nanoTime() - t0);
                return tau;
            }
        };
    }

    /**
     * A shared-state update's formation, after its ticket (as the in-process stores form once the version is taken):
     * the worker's updater array is filled with the cluster's state as it is now, the updater forms the update from
     * the gradient in place and advances the array, and the change it made is returned, to be added at the state's
     * owners. Concurrent updates' changes all land (each is an add at the owner): the racy in-place sharing of the
     * HOGWILD! store without its lost writes.
     */
    private float[] form(UpdateFormer former) {
        float[] now = new float[state.length];
        state.readInto(now);
        INDArray mine = former.state();
        mine.assign(Nd4j.createFromArray(now).reshape(mine.shape()));
        former.form();
        float[] change = mine.toFloatVector();
        for (int i = 0; i < change.length; i++) {
            change[i] -= now[i];
        }
        return change;
    }

    /** Copies every shard into {@code destination} (of the model's layout); not a consistent cut. */
    private long readInto(INDArray destination) {
        float[] flat = new float[length];
        long lowest = params.readInto(flat);
        destination.assign(Nd4j.createFromArray(flat).reshape(destination.shape()));
        return lowest;
    }

    @Override
    public boolean hasSharedState() {
        return state != null;
    }

    @Override
    public void copySharedStateTo(INDArray destination) {
        if (state == null) {
            ParameterStore.super.copySharedStateTo(destination);
        }
        float[] flat = new float[state.length];
        state.readInto(flat);
        destination.assign(Nd4j.createFromArray(flat).reshape(destination.shape()));
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
