package org.dl4jasync.cluster;

import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.dl4jasync.config.CoordinatedStore;
import org.dl4jasync.dispatch.DispatchSpec;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.dispatch.IntervalSchedule;
import org.dl4jasync.dispatch.RoundBoard;
import org.dl4jasync.dispatch.RoundPolicy;
import org.dl4jasync.dispatch.RoundSpec;
import org.dl4jasync.model.TrainableModel;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.spec.InvalidOptionException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The store option for training on a Hazelcast cluster ({@code store: hazelcast}): the parameters in the cluster's
 * maps, updated by entry processors at their owners ({@link HazelcastStore} says exactly how, and what τ means). Give
 * it to a trainer's builder as any store: {@code new AsyncTrainer.Builder(net).store(ClusterStore.on(member))}.
 *
 * @param member  this process's member (embedded), e.g. from {@link ClusterMember#start}; not part of the report
 * @param name    the store's maps ({@code <name>.params}, {@code <name>.clock}): one store per training
 * @param shards  entries the parameter vector is cut into, ≥ 1 (spread over the partitions, so over the members)
 * @param backups synchronous backups of every shard and of the clock, 0..6 (0: a lost member loses its shards and the
 *                training ends)
 * @param timeout the longest a step waits for the cluster before the training ends with the cause
 */
public record ClusterStore(HazelcastInstance member, String name, int shards, int backups, Duration timeout)
        implements CoordinatedStore {
    public static final String DEFAULT_NAME = "dl4jasync";
    public static final int DEFAULT_SHARDS = 4;
    public static final int DEFAULT_BACKUPS = 1;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public ClusterStore {
        Objects.requireNonNull(member, "member");
        if (name == null || name.isBlank()) {
            throw new InvalidOptionException("cluster_store", name, "a non-empty name");
        }
        if (shards < 1) {
            throw new InvalidOptionException("cluster_shards", shards, "an integer >= 1");
        }
        if (backups < 0 || backups > 6) {
            throw new InvalidOptionException("cluster_backups", backups, "an integer in 0..6 (Hazelcast's limit)");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new InvalidOptionException(
                    "cluster_timeout",
                    timeout == null ? null : timeout.toMillis() / 1e3,
                    "a positive number of seconds");
        }
    }

    /** The store on {@code member}'s cluster with every default. */
    public static ClusterStore on(HazelcastInstance member) {
        return new ClusterStore(member, DEFAULT_NAME, DEFAULT_SHARDS, DEFAULT_BACKUPS, DEFAULT_TIMEOUT);
    }

    public ClusterStore withName(String n) {
        return new ClusterStore(member, n, shards, backups, timeout);
    }

    public ClusterStore withShards(int s) {
        return new ClusterStore(member, name, s, backups, timeout);
    }

    public ClusterStore withBackups(int b) {
        return new ClusterStore(member, name, shards, b, timeout);
    }

    public ClusterStore withTimeout(Duration t) {
        return new ClusterStore(member, name, shards, backups, t);
    }

    @Override
    public String key() {
        return "hazelcast";
    }

    @Override
    public void provenance(Map<String, Object> config) {
        config.put("store", key());
        config.put("persistence", null);
        config.put("cluster_name", member.getConfig().getClusterName());
        config.put("cluster_members", member.getCluster().getMembers().size());
        config.put("cluster_store", name);
        config.put("cluster_shards", shards);
        config.put("cluster_backups", backups);
        config.put("cluster_timeout", timeout.toMillis() / 1e3);
    }

    @Override
    public ParameterStore create(TrainableModel model, int workers, INDArray sharedState) {
        return new HazelcastStore(member, name, model, shards, backups, timeout, sharedState);
    }

    /**
     * The algorithms whose rule holds across processes: async; bounded (the bound is checked on the store's clock,
     * atomically with the ticket); interval with a fixed y0 and a fixed or decaying y (the intervals in one entry of
     * the cluster); SSP (every worker's clock in one entry). K-async and ABS
     * (their rounds in the cluster: {@link HazelcastRounds}). Not yet: the probing and auto-y0 interval policies,
     * elastic parallelism, custom dispatchers and custom round policies (their state is per process).
     */
    @Override
    public void checkDispatch(DispatchSpec dispatch, boolean elastic) {
        String not = null;
        if (elastic) {
            throw new InvalidOptionException(
                    "parallelism", "elastic", "fixed with {store} hazelcast (elastic parallelism is per process)");
        }
        if (dispatch instanceof DispatchSpec.Async a && a.custom() != null) {
            not = "a custom dispatcher";
        } else if (dispatch instanceof DispatchSpec.Interval i
                && (i.y0().isEmpty()
                        || !(i.schedule() instanceof IntervalSchedule.Fixed
                                || i.schedule() instanceof IntervalSchedule.Decay))) {
            not = "interval with "
                    + (i.y0().isEmpty() ? "y0 auto" : "policy " + i.schedule().key());
        } else if (dispatch instanceof RoundSpec r && r.custom() != null) {
            not = "a custom round policy";
        } else if (!(dispatch instanceof DispatchSpec.Async
                || dispatch instanceof DispatchSpec.Bounded
                || dispatch instanceof DispatchSpec.Interval
                || dispatch instanceof DispatchSpec.Ssp
                || dispatch instanceof RoundSpec)) {
            not = dispatch.key();
        }
        if (not != null) {
            throw new InvalidOptionException(
                    "algorithm",
                    dispatch.key(),
                    "async, bounded, interval (fixed or decaying y), ssp, kasync or abs with {store} hazelcast: " + not
                            + " is not coordinated across processes yet");
        }
    }

    @Override
    public Dispatcher dispatcher(DispatchSpec dispatch, int workers) {
        if (dispatch instanceof DispatchSpec.Ssp ssp) {
            return new ClusterSspDispatcher(this, workers, ssp.slack());
        }
        if (dispatch instanceof DispatchSpec.Interval i) {
            return ClusterIntervalDispatcher.create(this, workers, i.y0().getAsInt(), i.schedule());
        }
        // async, bounded: this process's tickets; a bound is the store's, checked on the cluster's clock atomically
        // with taking the version
        return dispatch.dispatcher(workers, null, null, null);
    }

    /** Every member's workers fill the rounds: this process's times the members now (each trains as many workers). */
    @Override
    public int roundWorkers(int local) {
        return local * member.getCluster().getMembers().size();
    }

    /** The rounds in the cluster ({@link HazelcastRounds}): decided in one entry, summed and applied at the shards. */
    @Override
    public RoundBoard rounds(RoundPolicy policy, ParameterStore store, int workers, Runnable progress) {
        return new HazelcastRounds((HazelcastStore) store, name, policy, workers, progress, timeout);
    }

    @Override
    public boolean inProcess() {
        return false;
    }

    /**
     * Each member checkpoints its own run (its workers paused: their optimizer states, counts, data position) with a
     * read of the cluster's parameters, shared optimizer state and dispatcher state, which the other members go on
     * changing meanwhile (a HOGWILD! read, not a cut of the whole cluster). A resumed training starts a fresh store
     * from the first resuming member's checkpoint; the others' parameters are replaced at their first read.
     */
    @Override
    public boolean supportsCheckpoints() {
        return true;
    }

    /** Where the cluster lives and how it is cut may change between a checkpoint and its resume. */
    @Override
    public boolean resumeMayDiffer(String key) {
        return key.startsWith("cluster_");
    }

    /** The shared optimizer state in its own shards: each update's change of it added at the owners. */
    @Override
    public boolean supportsSharedState() {
        return true;
    }

    @Override
    public String toString() {
        return "ClusterStore[" + name + " on " + member.getConfig().getClusterName() + ", shards=" + shards
                + ", backups=" + backups + ", timeout=" + timeout + "]";
    }
}
