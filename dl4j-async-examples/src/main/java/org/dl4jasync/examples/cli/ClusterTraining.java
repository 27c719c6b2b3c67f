package org.dl4jasync.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.dl4jasync.cluster.ClusterMember;
import org.dl4jasync.cluster.ClusterReport;
import org.dl4jasync.cluster.ClusterStore;
import org.dl4jasync.metrics.TrainingReport;
import picocli.CommandLine.ParseResult;

/**
 * {@code train --cluster}/{@code --local-members}: this process becomes a member (the others started first with
 * --local-members), waits for the members its list names, trains with the parameters on the cluster under its own
 * report files ({@code FILE.member-K.json}), waits for the members it started and for every member's report, and
 * leaves; the coordinator writes the merged report ({@link ClusterReport}) to the --json path.
 */
final class ClusterTraining {
    /** How long a member waits for the others to join before it trains with those there are. */
    private static final Duration JOIN_WAIT = Duration.ofMinutes(2);

    private final ClusterOptions cluster;
    private final TrainOptions options;
    private final ParseResult parsed;

    ClusterTraining(ClusterOptions cluster, TrainOptions options, ParseResult parsed) {
        this.cluster = cluster;
        this.options = options;
        this.parsed = parsed;
    }

    /**
     * Runs the training here with {@code trainHere}, given what receives this member's report; the exit status (a
     * member started here that failed makes it nonzero).
     */
    int run(Function<Consumer<TrainingReport>, Integer> trainHere) {
        ClusterMember.Spec memberSpec;
        try {
            memberSpec = cluster.memberSpec();
            for (String o : List.of("--store", "--persistence")) {
                if (parsed.hasMatchedOption(o)) {
                    throw new UsageException(
                            o + " is not offered with --cluster or --local-members (the store is the cluster's)");
                }
            }
            if (options.baseline != null) {
                throw new UsageException(
                        "--cluster trains with dl4j-async's trainer, not --algorithm netfit or parallelwrapper");
            }
        } catch (UsageException e) {
            return Main.usageError("train", e.getMessage());
        }
        LocalMembers others = null;
        HazelcastInstance member = null;
        try {
            if (cluster.localMembers != null && cluster.localMembers > 1) {
                List<String> args = new ArrayList<>(parsed.originalArgs());
                if (!args.isEmpty() && args.get(0).equals("train")) {
                    args.remove(0);
                }
                others = LocalMembers.start(args, memberSpec.members());
            }
            member = ClusterMember.start(memberSpec);
            int expected = memberSpec.members().size();
            int joined = ClusterMember.awaitMembers(member, expected, JOIN_WAIT);
            if (joined < expected) {
                System.err.println("dl4j-async train: " + joined + " of the " + expected + " members joined within "
                        + JOIN_WAIT.toSeconds() + " s; training with them");
            }
            int index = cluster.localMembers != null
                    ? 0
                    : cluster.memberIndex != null ? cluster.memberIndex : ClusterMember.position(member);
            if (!options.quiet) {
                System.out.println("dl4j-async train: member " + index + " of cluster '" + memberSpec.clusterName()
                        + "' at " + member.getCluster().getLocalMember().getAddress() + " (" + joined + " members)");
            }
            ClusterStore store = cluster.store(member);
            options.clusterStore = store;
            options.seedOffset = index;
            Path merged = options.json; // the merged report's, written by the coordinator
            if (merged != null) {
                options.json = Path.of(LocalMembers.memberPath(merged.toString(), index));
            }
            if (options.csv != null) {
                options.csv = Path.of(LocalMembers.memberPath(options.csv.toString(), index));
            }
            if (options.checkpoints != null) { // each member checkpoints (and resumes) its own run in DIR/member-K
                options.checkpoints.forMember(index);
            }
            HazelcastInstance m = member;
            int status = trainHere.apply(report -> ClusterReport.publish(m, store.name(), report));
            int theirs = others == null ? 0 : others.await();
            others = null;
            if (status == 0) {
                status = writeMerged(member, store.name(), merged);
            }
            return status != 0 ? status : theirs;
        } catch (UsageException e) {
            return Main.usageError("train", e.getMessage());
        } catch (IOException e) {
            System.err.println("dl4j-async train: could not start the local members: " + e);
            return Main.EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.EXIT_FAILED;
        } finally {
            if (others != null) {
                others.destroy();
            }
            if (member != null) {
                member.shutdown();
            }
        }
    }

    /**
     * Every member waits for every member's report (or its departure), so that the cluster's data stays served until
     * all are done; the coordinator (the oldest member still there that reported: member 0, or the next one when
     * member 0 was lost) writes the merged report to the --json path and prints the cluster's totals.
     */
    private int writeMerged(HazelcastInstance member, String store, Path json) throws InterruptedException {
        Map<String, Object> merged = ClusterReport.gather(member, store);
        if (!ClusterReport.coordinates(member, store)) {
            return 0;
        }
        if (!options.quiet) {
            Map<?, ?> stats = (Map<?, ?>) merged.get("store_stats");
            System.out.printf(
                    Locale.ROOT,
                    "  cluster      %s updates by %s member(s) (lost: %s), %.1f steps/s, %s bytes sent%n",
                    merged.get("steps_accepted"),
                    stats.get("members_reporting"),
                    stats.get("members_lost"),
                    ((Number) merged.get("steps_per_second")).doubleValue(),
                    stats.get("bytes_sent"));
        }
        if (json == null) {
            return 0;
        }
        try {
            Files.writeString(
                    json,
                    new ObjectMapper()
                            .enable(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(merged));
            return 0;
        } catch (IOException e) {
            System.err.println("dl4j-async train: the cluster's report " + json + " could not be written: " + e);
            return Main.EXIT_FAILED;
        }
    }
}
