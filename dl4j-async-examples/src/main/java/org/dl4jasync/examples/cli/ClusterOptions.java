package org.dl4jasync.examples.cli;

import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dl4jasync.cluster.ClusterMember;
import org.dl4jasync.cluster.ClusterStore;
import picocli.CommandLine.Option;

/**
 * {@code train}'s options for training on a Hazelcast cluster: this process becomes a member ({@code --cluster}),
 * or starts {@code N − 1} more member JVMs on this machine and is the first of them ({@code --local-members N}).
 * Each option lands on {@link ClusterMember.Spec} (the member) or {@link ClusterStore} (the store), which check it.
 */
final class ClusterOptions {
    @Option(
            order = 90,
            names = "--cluster",
            split = ",",
            paramLabel = "HOST[:PORT]",
            description = "Train as a member of a Hazelcast cluster with these members (TCP/IP, no multicast): the "
                    + "shared parameters live in the cluster, every member's workers update them. Run the same "
                    + "command on each machine.")
    List<String> members;

    @Option(
            order = 91,
            names = "--local-members",
            paramLabel = "N",
            description = "Start N members on this machine (this process and N - 1 more JVMs, loopback) and train on "
                    + "them: for trying a cluster training out.")
    Integer localMembers;

    @Option(
            order = 92,
            names = "--cluster-name",
            paramLabel = "NAME",
            description = "The training's cluster: members of another name never join it. Default: dl4jasync.")
    String name = ClusterStore.DEFAULT_NAME;

    @Option(
            order = 93,
            names = "--cluster-port",
            paramLabel = "PORT",
            description = "The port this member listens on (the next free ones above it are tried). Default: 5701.")
    int port = ClusterMember.DEFAULT_PORT;

    @Option(
            order = 94,
            names = "--cluster-interface",
            split = ",",
            paramLabel = "ADDRESS",
            description = "The interfaces to bind, e.g. 10.0.0.* (default: Hazelcast's choice; 127.0.0.1 with "
                    + "--local-members).")
    List<String> interfaces = new ArrayList<>();

    @Option(
            order = 95,
            names = "--cluster-shards",
            paramLabel = "S",
            description =
                    "Entries the parameter vector is cut into (spread over the members; each is one call per read and per update). Default: 4.")
    int shards = ClusterStore.DEFAULT_SHARDS;

    @Option(
            order = 96,
            names = "--cluster-backups",
            paramLabel = "B",
            description = "Backups of every shard on other members (0: a lost member ends the training). Default: 1.")
    int backups = ClusterStore.DEFAULT_BACKUPS;

    @Option(
            order = 97,
            names = "--cluster-timeout",
            paramLabel = "SECONDS",
            description = "The longest a step waits for the cluster before the training ends with the cause. "
                    + "Default: 30.")
    double timeoutSeconds = ClusterStore.DEFAULT_TIMEOUT.toMillis() / 1e3;

    /**
     * This member's index, told to the members --local-members starts (the launcher is 0); null: its position in the
     * cluster when all have joined. Names its report file and seeds its batch order.
     */
    @Option(names = "--member-index", hidden = true)
    Integer memberIndex;

    boolean used() {
        return members != null || localMembers != null;
    }

    /** The member's options; {@link UsageException} for a bad one. */
    ClusterMember.Spec memberSpec() {
        if (members != null && localMembers != null) {
            throw new UsageException("--cluster and --local-members: give one of them");
        }
        if (localMembers != null && (localMembers < 1 || localMembers > 16)) {
            throw new UsageException("--local-members", String.valueOf(localMembers), "an integer in 1..16");
        }
        if (!(timeoutSeconds > 0) || Double.isInfinite(timeoutSeconds)) {
            throw new UsageException(
                    "--cluster-timeout", String.valueOf(timeoutSeconds), "a positive number of seconds");
        }
        try {
            return localMembers != null
                    ? ClusterMember.Spec.loopback(name, port, localMembers)
                    : new ClusterMember.Spec(name, members, port, interfaces);
        } catch (org.dl4jasync.spec.InvalidOptionException e) {
            throw new UsageException(e.render(TrainOptions::option));
        }
    }

    /** The store on {@code member}. */
    ClusterStore store(HazelcastInstance member) {
        try {
            return ClusterStore.on(member)
                    .withName(name)
                    .withShards(shards)
                    .withBackups(backups)
                    .withTimeout(Duration.ofMillis(Math.round(timeoutSeconds * 1e3)));
        } catch (org.dl4jasync.spec.InvalidOptionException e) {
            throw new UsageException(e.render(TrainOptions::option));
        }
    }
}
