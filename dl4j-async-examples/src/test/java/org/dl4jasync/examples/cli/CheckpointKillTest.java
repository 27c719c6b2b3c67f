package org.dl4jasync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jasync.metrics.TrainingReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a {@code train} subprocess with SIGKILL at random moments — in its start-up, while it trains, while its
 * checkpoint thread writes — {@code dl4jasync.kills} times (default 20; more for a longer check:
 * {@code ./mvnw -o -pl dl4j-async-examples test -Dtest=CheckpointKillTest -Ddl4jasync.kills=200}), restarting it
 * each time with {@code --resume} once a checkpoint exists, then lets it finish. Every restart must load the newest
 * checkpoint (no "skipping" warning), and the final report must count exactly the planned updates with a loss trace
 * that has every point once, as an uninterrupted run's.
 */
@Timeout(1800)
class CheckpointKillTest {
    private static final int STEPS = 6000;
    /** The loss trace's default interval (RunConfig.DEFAULT_LOSS_TRACE_EVERY). */
    private static final int TRACE_EVERY = (int) org.dl4jasync.config.RunConfig.DEFAULT_LOSS_TRACE_EVERY;

    @Test
    void trainingSurvivesRepeatedSigkills(@TempDir Path tmp) throws Exception {
        int kills = Integer.getInteger("dl4jasync.kills", 20);
        Path dir = tmp.resolve("checkpoints");
        Path json = tmp.resolve("report.json");
        SplittableRandom random = new SplittableRandom(Long.getLong("dl4jasync.killSeed", 7));
        int killed = 0;
        int resumed = 0;
        int trainingKills = 0;
        int midWrite = 0;
        for (int attempt = 0; ; attempt++) {
            assertThat(attempt).as("attempts").isLessThan(kills + 50);
            boolean resume = hasCheckpoint(dir);
            String newest = resume ? checkpoints(dir).get(0).toString() : null;
            Path log = tmp.resolve("attempt-" + attempt + ".log");
            Process p = start(dir, json, resume, log);
            boolean last = killed >= kills;
            if (!last) {
                // every other kill in start-up (within 0.3–3 s, before or while the checkpoint loads), the others
                // while training: after this run's first own checkpoint, within 0–1 s (often in the next write)
                long delayMs = 300 + random.nextLong(2700);
                if (attempt % 2 == 0 && newCheckpoint(dir, newest, p)) {
                    delayMs = random.nextLong(1000);
                    trainingKills++;
                }
                if (!p.waitFor(delayMs, TimeUnit.MILLISECONDS)) {
                    if (tmpFileExists(dir)) {
                        midWrite++;
                    }
                    p.destroyForcibly(); // SIGKILL
                    p.waitFor();
                    killed++;
                    checkResumeLog(Files.readString(log), newest);
                    if (resume && Files.readString(log).contains("resuming from")) {
                        resumed++;
                    }
                    continue;
                }
            } else {
                assertThat(p.waitFor(20, TimeUnit.MINUTES))
                        .as("the last run finishes")
                        .isTrue();
            }
            String out = Files.readString(log);
            assertThat(p.exitValue()).as(out).isZero();
            checkResumeLog(out, newest);
            if (resume) {
                assertThat(out).contains("resuming from " + newest + " ");
            }
            break;
        }
        System.out.printf(
                "CheckpointKillTest: %d kills (%d while training, %d after the run had resumed from a "
                        + "checkpoint, %d while a checkpoint was being written)%n",
                killed, trainingKills, resumed, midWrite);
        assertThat(killed).isGreaterThanOrEqualTo(kills);
        assertThat(trainingKills).as("kills while training").isGreaterThanOrEqualTo(kills / 2 - 1);
        assertThat(resumed).as("kills after a resume had loaded its checkpoint").isGreaterThanOrEqualTo(kills / 4);

        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) TrainingReport.parse(Files.readString(json));
        assertThat(((Number) r.get("steps_accepted")).longValue()).isEqualTo(STEPS);
        // a loss point is made by the update that crosses its boundary (with 4 workers it may be a little past it):
        // exactly one point per window of TRACE_EVERY updates, in order, none lost or repeated across the restarts
        List<Long> windows = new ArrayList<>();
        long previous = 0;
        for (Object p : (List<?>) r.get("loss_trace")) {
            long steps = ((Number) ((List<?>) p).get(1)).longValue();
            assertThat(steps).isGreaterThan(previous);
            previous = steps;
            windows.add(steps / TRACE_EVERY);
        }
        List<Long> expected = new ArrayList<>();
        for (long w = 1; w <= STEPS / TRACE_EVERY; w++) {
            expected.add(w);
        }
        assertThat(windows)
                .as("one loss point per %d updates, none twice", TRACE_EVERY)
                .containsExactlyElementsOf(expected);
        Path newest = checkpoints(dir).get(0);
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(newest.toFile(), true);
        assertThat(net.getIterationCount()).isEqualTo(STEPS);
    }

    /** A run that got as far as loading resumed from the newest checkpoint there was at its start, skipping none. */
    private static void checkResumeLog(String log, String newest) {
        assertThat(log).doesNotContain("skipping checkpoint");
        if (log.contains("resuming from ")) {
            assertThat(log).contains("resuming from " + newest + " ");
        }
    }

    private static Process start(Path dir, Path json, boolean resume, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "train",
                "--model",
                "mlp",
                "--workers",
                "4",
                "--max-steps",
                String.valueOf(STEPS),
                "--checkpoint-dir",
                dir.toString(),
                "--checkpoint-every",
                "40",
                "--quiet",
                "--json",
                json.toString()));
        if (resume) {
            cmd.add("--resume");
            cmd.add(dir.toString());
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    /**
     * Waits until {@code p} has written a checkpoint of its own (newer than {@code newest}, the newest at its start);
     * false when it ended or none came within two minutes.
     */
    private static boolean newCheckpoint(Path dir, String newest, Process p) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (p.isAlive() && System.nanoTime() < deadline) {
            if (hasCheckpoint(dir) && !checkpoints(dir).get(0).toString().equals(newest)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static boolean hasCheckpoint(Path dir) throws IOException {
        return Files.isDirectory(dir) && !checkpoints(dir).isEmpty();
    }

    private static boolean tmpFileExists(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp"));
        }
    }

    private static List<Path> checkpoints(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("checkpoint-\\d{10}\\.zip"))
                    .sorted((a, b) -> b.getFileName().compareTo(a.getFileName()))
                    .collect(Collectors.toList());
        }
    }
}
