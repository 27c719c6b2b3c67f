package org.dl4jasync.cluster;

import com.hazelcast.core.HazelcastInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** Several members in this JVM on loopback, a cluster of their own: the tests' cluster. */
final class LocalCluster implements AutoCloseable {
    /** Each cluster its own ports, so that test classes never join each other's members. */
    private static final AtomicInteger NEXT_PORT = new AtomicInteger(15701);

    final List<HazelcastInstance> members = new ArrayList<>();

    LocalCluster(int n) {
        int port = NEXT_PORT.getAndAdd(n);
        ClusterMember.Spec spec = ClusterMember.Spec.loopback("test-" + UUID.randomUUID(), port, n);
        for (int i = 0; i < n; i++) {
            members.add(ClusterMember.start(spec));
        }
    }

    HazelcastInstance member(int i) {
        return members.get(i);
    }

    @Override
    public void close() {
        for (HazelcastInstance m : members) {
            m.shutdown();
        }
    }
}
