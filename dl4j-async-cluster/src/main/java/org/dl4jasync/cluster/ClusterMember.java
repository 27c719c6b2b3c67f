package org.dl4jasync.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import java.util.Objects;
import org.dl4jasync.spec.InvalidOptionException;

/**
 * Starts this process's embedded Hazelcast member for a training: joining by a TCP/IP member list (no multicast, no
 * cloud discovery), on the given port (the next free one above it when taken) and interface, in a cluster of its own
 * name so that two trainings never mix.
 */
public final class ClusterMember {
    public static final int DEFAULT_PORT = 5701;

    private ClusterMember() {}

    /**
     * The member's options.
     *
     * @param clusterName the training's cluster: members of another name never join it
     * @param members     the addresses ({@code host} or {@code host:port}) the member tries to join; its own may be
     *                    among them
     * @param port        the port to listen on (the next free ones up to 100 above it are tried)
     * @param interfaces  the interfaces to bind (e.g. {@code 127.0.0.1}, {@code 10.0.0.*}); empty: Hazelcast's choice
     */
    public record Spec(String clusterName, List<String> members, int port, List<String> interfaces) {
        public Spec {
            if (clusterName == null || clusterName.isBlank()) {
                throw new InvalidOptionException("cluster_name", clusterName, "a non-empty name");
            }
            members = List.copyOf(Objects.requireNonNull(members, "members"));
            if (members.isEmpty()) {
                throw new InvalidOptionException("cluster", "", "one or more host[:port] addresses");
            }
            if (port < 1 || port > 65535) {
                throw new InvalidOptionException("cluster_port", port, "a port in 1..65535");
            }
            interfaces = List.copyOf(Objects.requireNonNull(interfaces, "interfaces"));
        }

        /** Members on this machine only (loopback), from {@code port}. */
        public static Spec loopback(String clusterName, int port, int members) {
            List<String> addresses = new java.util.ArrayList<>();
            for (int i = 0; i < members; i++) {
                addresses.add("127.0.0.1:" + (port + i));
            }
            return new Spec(clusterName, addresses, port, List.of("127.0.0.1"));
        }
    }

    /** Hazelcast's configuration for {@code spec}. */
    public static Config config(Spec spec) {
        Config c = new Config();
        c.setClusterName(spec.clusterName());
        c.setInstanceName(spec.clusterName() + "-" + java.util.UUID.randomUUID());
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.shutdownhook.enabled", "false"); // the trainer ends its member itself
        NetworkConfig net = c.getNetworkConfig();
        net.setPort(spec.port()).setPortAutoIncrement(true).setPortCount(100);
        if (!spec.interfaces().isEmpty()) {
            net.getInterfaces().setEnabled(true).setInterfaces(spec.interfaces());
        }
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(spec.members());
        c.getJetConfig().setEnabled(false);
        return c;
    }

    /**
     * Waits until {@code member}'s cluster has {@code expected} members (a training starts with all it names), at
     * most {@code max}; returns how many there are then.
     */
    public static int awaitMembers(HazelcastInstance member, int expected, java.time.Duration max)
            throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (member.getCluster().getMembers().size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return member.getCluster().getMembers().size();
    }

    /** {@code member}'s position in its cluster, the oldest member 0 (stable once every member has joined). */
    public static int position(HazelcastInstance member) {
        int i = 0;
        for (var m : member.getCluster().getMembers()) {
            if (m.localMember()) {
                return i;
            }
            i++;
        }
        throw new IllegalStateException("this member is not in its own cluster's member list");
    }

    /** Starts a member; it joins the cluster's running members (or forms the cluster) before this returns. */
    public static HazelcastInstance start(Spec spec) {
        return Hazelcast.newHazelcastInstance(config(spec));
    }
}
