package org.dl4jasync.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A training's calls to the cluster: each waits at most the timeout, and a failure names the members lost since the
 * training began ({@link ClusterUnavailableException}). One per store (shared with the run's dispatcher).
 */
final class ClusterCalls implements AutoCloseable {
    final HazelcastInstance hazelcast;
    private final long timeoutMillis;
    private final int backups;
    /** Members that left since this object was made. Written by Hazelcast's event thread, read by any. */
    private final List<Member> lost = new CopyOnWriteArrayList<>();

    private final UUID listener;

    /** Calls that name the members lost since now (until {@link #close()}). */
    ClusterCalls(HazelcastInstance hazelcast, Duration timeout, int backups) {
        this(hazelcast, timeout, backups, true);
    }

    /** @param watchMembers false: no listener (nothing to close); failures name no lost member */
    ClusterCalls(HazelcastInstance hazelcast, Duration timeout, int backups, boolean watchMembers) {
        this.hazelcast = hazelcast;
        this.timeoutMillis = timeout.toMillis();
        this.backups = backups;
        this.listener = !watchMembers
                ? null
                : hazelcast.getCluster().addMembershipListener(new MembershipListener() {
                    @Override
                    public void memberAdded(MembershipEvent e) {}

                    @Override
                    public void memberRemoved(MembershipEvent e) {
                        lost.add(e.getMember());
                    }
                });
    }

    /**
     * Configures map {@code name} on the running cluster (Hazelcast's dynamic configuration): values kept as objects,
     * so an entry processor works on the value itself with no (de)serialisation per call; the training's backups.
     */
    void configureMap(String name) {
        hazelcast
                .getConfig()
                .addMapConfig(new MapConfig(name)
                        .setInMemoryFormat(InMemoryFormat.OBJECT)
                        .setBackupCount(backups));
    }

    /** The result of {@code f}, waiting at most the timeout. */
    <T> T await(CompletableFuture<T> f, String what) {
        try {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new ClusterUnavailableException(
                    what + ": no answer from the cluster within " + timeoutMillis + " ms (members: "
                            + hazelcast.getCluster().getMembers() + ")" + lostMembers(),
                    e);
        } catch (ExecutionException e) {
            throw new ClusterUnavailableException(what + " failed: " + e.getCause() + lostMembers(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterUnavailableException(what + ": interrupted", e);
        }
    }

    /** The members lost during the training, as the failure messages name them ("" when none). */
    String lostMembers() {
        return lost.isEmpty() ? "" : "; members lost: " + lost;
    }

    /** The addresses of the members lost so far. */
    List<String> lostAddresses() {
        return lost.stream().map(m -> m.getAddress().toString()).toList();
    }

    @Override
    public void close() {
        if (listener != null && hazelcast.getLifecycleService().isRunning()) {
            hazelcast.getCluster().removeMembershipListener(listener);
        }
    }
}
