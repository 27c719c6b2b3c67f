package org.dl4jasync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dl4jasync.metrics.TrainingReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --local-members N}: this JVM is member 0 and starts the others as separate JVM processes. Every member
 * counts its own updates exactly; a member killed with SIGKILL mid-run never hangs the others: with a backup of every
 * shard they train on to their own end and the launcher reports the lost member; with no backup the survivors end
 * with the lost shards named, within the cluster timeout.
 */
@Timeout(600)
@SuppressWarnings("unchecked")
class ClusterProcessesTest {
    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    /** Each test its own ports: a member of another test never joins. */
    private static final AtomicInteger PORT = new AtomicInteger(16701);

    private static String port(int members) {
        return String.valueOf(PORT.getAndAdd(members + 2));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> report(Path json) throws Exception {
        return (Map<String, Object>) TrainingReport.parse(Files.readString(json));
    }

    private static long histogramTotal(Map<String, Object> r) {
        List<List<Number>> h = (List<List<Number>>) ((Map<String, Object>) r.get("staleness")).get("histogram");
        return h.stream().mapToLong(e -> e.get(1).longValue()).sum();
    }

    @Test
    void twoMemberProcessesTrainOneModelAndEachCountsItsOwnUpdates(@TempDir Path tmp) throws Exception {
        Path json = tmp.resolve("r.json");
        int status = Main.run(
                "train",
                "--model",
                "mlp",
                "--workers",
                "1",
                "--max-steps",
                "120",
                "--quiet",
                "--json",
                json.toString(),
                "--local-members",
                "2",
                "--cluster-name",
                "two-" + tmp.getFileName(),
                "--cluster-port",
                port(2));
        assertThat(status).isZero();
        Map<String, Object> mine = report(tmp.resolve("r.member-0.json"));
        Map<String, Object> theirs = report(tmp.resolve("r.member-1.json"));
        Map<String, Object> merged = report(json);
        assertThat(((Number) merged.get("steps_accepted")).longValue())
                .as("the coordinator's merged report")
                .isEqualTo(240);
        assertThat(histogramTotal(merged)).isEqualTo(240);
        Map<String, Object> cluster = (Map<String, Object>) merged.get("store_stats");
        assertThat(cluster.get("members_reporting")).isEqualTo(2);
        assertThat((List<?>) cluster.get("members_lost")).isEmpty();
        assertThat(((Number) cluster.get("bytes_sent")).longValue())
                .isEqualTo(((Number) ((Map<String, Object>) mine.get("store_stats")).get("bytes_sent")).longValue()
                        + ((Number) ((Map<String, Object>) theirs.get("store_stats")).get("bytes_sent")).longValue());
        for (Map<String, Object> r : List.of(mine, theirs)) {
            assertThat(((Number) r.get("steps_accepted")).longValue()).isEqualTo(120);
            assertThat(histogramTotal(r)).isEqualTo(120);
            assertThat(r.get("store")).isEqualTo("hazelcast");
        }
        Map<String, Object> config = (Map<String, Object>) mine.get("config");
        Map<String, Object> config1 = (Map<String, Object>) theirs.get("config");
        assertThat(((Number) config1.get("seed")).longValue())
                .as("each member draws its own batch order")
                .isEqualTo(((Number) config.get("seed")).longValue() + 1);
        long maxTau = Math.max(
                ((Number) ((Map<String, Object>) mine.get("staleness")).get("max")).longValue(),
                ((Number) ((Map<String, Object>) theirs.get("staleness")).get("max")).longValue());
        assertThat(maxTau)
                .as("one worker per member: τ > 0 comes from the other process's updates")
                .isPositive();
    }

    @Test
    void aKilledMemberNeverHangsTheOthersWhoTrainOnFromTheBackups(@TempDir Path tmp) throws Exception {
        Path json = tmp.resolve("r.json");
        CompletableFuture<Integer> run = killOneOf(3, 1, 15, 10, "kill-" + tmp.getFileName(), json);
        int status = run.get(120, TimeUnit.SECONDS);
        assertThat(status).as("the launcher reports the lost member's status").isNotZero();
        assertThat(((Number) report(tmp.resolve("r.member-0.json")).get("steps_accepted")).longValue())
                .isPositive();
        Map<String, Object> merged = report(json);
        assertThat((List<?>) ((Map<String, Object>) merged.get("store_stats")).get("members_lost"))
                .as("the merged report names the lost member")
                .hasSize(1);
        assertThat(((Map<String, Object>) merged.get("store_stats")).get("members_reporting"))
                .isEqualTo(2);
        assertThat(((Number) report(tmp.resolve("r.member-2.json")).get("steps_accepted")).longValue())
                .isPositive();
        assertThat(tmp.resolve("r.member-1.json")).doesNotExist();
    }

    @Test
    void withNoBackupALostMemberEndsTheTrainingWithinTheTimeout(@TempDir Path tmp) throws Exception {
        Path json = tmp.resolve("r.json");
        CompletableFuture<Integer> run = killOneOf(2, 0, 300, 5, "nobackup-" + tmp.getFileName(), json);
        int status = run.get(120, TimeUnit.SECONDS); // long before its time limit: no hang
        assertThat(status).isEqualTo(Main.EXIT_FAILED);
        assertThat(console.err()).contains("members lost");
        assertThat(json).doesNotExist();
        assertThat(tmp.resolve("r.member-0.json")).doesNotExist();
    }

    @Test
    void whenTheCoordinatorIsLostTheNextOldestMemberWritesTheMergedReport(@TempDir Path tmp) throws Exception {
        int p = Integer.parseInt(port(3));
        String name = "coordinator-" + tmp.getFileName();
        String addresses = "127.0.0.1:" + p + ",127.0.0.1:" + (p + 1) + ",127.0.0.1:" + (p + 2);
        Path json = tmp.resolve("r.json");
        List<Process> members = new java.util.ArrayList<>();
        try {
            members.add(memberJvm(addresses, p, name, json, tmp.resolve("m0.log")));
            awaitListening(p); // the first member is up: it is the oldest, the coordinator
            members.add(memberJvm(addresses, p + 1, name, json, tmp.resolve("m1.log")));
            members.add(memberJvm(addresses, p + 2, name, json, tmp.resolve("m2.log")));
            com.hazelcast.client.config.ClientConfig cc = new com.hazelcast.client.config.ClientConfig();
            cc.setClusterName(name);
            cc.getNetworkConfig().setAddresses(List.of(addresses.split(",")));
            com.hazelcast.core.HazelcastInstance client = com.hazelcast.client.HazelcastClient.newHazelcastClient(cc);
            try { // all three take part (each has made its store) before member 0 is lost
                for (int i = 0;
                        i < 1200 && client.getMap(name + ".participants").size() < 3;
                        i++) {
                    Thread.sleep(100);
                }
            } finally {
                client.shutdown();
            }
            Thread.sleep(2_000); // training
            members.get(0).destroyForcibly();
            for (int k = 1; k < 3; k++) {
                assertThat(members.get(k).waitFor(120, TimeUnit.SECONDS)).isTrue();
                assertThat(members.get(k).exitValue())
                        .as(Files.readString(tmp.resolve("m" + k + ".log")))
                        .isZero();
            }
        } finally {
            members.forEach(Process::destroyForcibly);
        }
        Map<String, Object> merged = report(json);
        Map<String, Object> cluster = (Map<String, Object>) merged.get("store_stats");
        assertThat((List<?>) cluster.get("members_lost")).as("member 0, lost").hasSize(1);
        assertThat(cluster.get("members_reporting")).isEqualTo(2);
        assertThat(tmp.resolve("r.member-0.json")).doesNotExist();
    }

    /** A member JVM of a --cluster training (port {@code port}), 12 s of training, its output in {@code log}. */
    private static Process memberJvm(String addresses, int port, String name, Path json, Path log) throws Exception {
        List<String> cmd = List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "train",
                "--model",
                "mlp",
                "--workers",
                "1",
                "--time-limit",
                "12",
                "--quiet",
                "--json",
                json.toString(),
                "--cluster",
                addresses,
                "--cluster-interface",
                "127.0.0.1",
                "--cluster-port",
                String.valueOf(port),
                "--cluster-name",
                name,
                "--cluster-timeout",
                "10");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    /** Waits until something listens on loopback port {@code port}. */
    private static void awaitListening(int port) throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("nothing listens on " + port);
    }

    /**
     * Starts {@code train --local-members n} (this JVM member 0) with {@code backups}, and kills member 1 with SIGKILL
     * once all have joined and trained a few seconds; the training's exit status, to come.
     */
    private static CompletableFuture<Integer> killOneOf(
            int n, int backups, int timeLimit, int timeout, String name, Path json) throws InterruptedException {
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.run(
                "train",
                "--model",
                "mlp",
                "--workers",
                "1",
                "--time-limit",
                String.valueOf(timeLimit),
                "--quiet",
                "--json",
                json.toString(),
                "--local-members",
                String.valueOf(n),
                "--cluster-backups",
                String.valueOf(backups),
                "--cluster-timeout",
                String.valueOf(timeout),
                "--cluster-name",
                name,
                "--cluster-port",
                port(n)));
        ProcessHandle victim = member(1);
        awaitJoined(name, n);
        Thread.sleep(2_000); // training
        victim.destroyForcibly();
        return run;
    }

    /**
     * Waits until this JVM's member of cluster {@code name} (member 0: Main.run runs here) sees {@code n} members that
     * take part: each has made its store, so it is a participant the merged report names when lost.
     */
    private static void awaitJoined(String name, int n) throws InterruptedException {
        for (int i = 0; i < 3000; i++) {
            boolean joined = com.hazelcast.core.Hazelcast.getAllHazelcastInstances().stream()
                    .anyMatch(h -> h.getConfig().getClusterName().equals(name)
                            && h.getCluster().getMembers().size() >= n
                            && h.getMap(name + ".participants").size() >= n);
            if (joined) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the cluster " + name + " never had " + n + " participants");
    }

    /**
     * The member JVM started with {@code --member-index k}, once it is up: the launcher starts them in index order
     * (the command line, with its long class path, is not reliably readable from /proc).
     */
    private static ProcessHandle member(int k) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            List<ProcessHandle> children = ProcessHandle.current()
                    .children()
                    .sorted(java.util.Comparator.comparing(
                            p -> p.info().startInstant().orElse(java.time.Instant.MAX)))
                    .toList();
            if (children.size() >= k) {
                return children.get(k - 1);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("member " + k + " was not started");
    }
}
