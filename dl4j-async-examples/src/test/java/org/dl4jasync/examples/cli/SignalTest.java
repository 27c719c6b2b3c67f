package org.dl4jasync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.dl4jasync.metrics.TrainingReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGTERM and SIGINT to {@code train}: the run stops as after {@code stopFit} (stop reason {@code interrupted}), its
 * final checkpoint and report are written, the exit status is 128 + the signal, and a resume reaches exactly the
 * requested step count; a second signal ends the process at once. A {@code compare} child ends with its parent.
 * Before: the JVM ended in 0.1 s with neither checkpoint nor report (up to 60 s of training lost), and a killed
 * compare left its child running.
 */
@Timeout(600)
class SignalTest {
    private static final int STEPS = 200_000; // far more than a test waits for: only a signal ends the run

    private static Process train(Path dir, Path json, Path log, long maxSteps, boolean resume) throws IOException {
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
                "2",
                "--max-steps",
                String.valueOf(maxSteps),
                "--checkpoint-dir",
                dir.toString(),
                "--checkpoint-every",
                "1000000",
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

    /** Waits until the process is training (it has started its worker threads), then a little more. */
    private static void awaitTraining(Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (p.isAlive() && System.nanoTime() < deadline && !training(p)) {
            Thread.sleep(50);
        }
        assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
        Thread.sleep(1000); // some steps
    }

    /** Whether {@code p} has a worker thread (jstack would be heavier: its /proc task names suffice on Linux). */
    private static boolean training(Process p) throws IOException {
        Path tasks = Path.of("/proc", String.valueOf(p.pid()), "task");
        if (!Files.isDirectory(tasks)) {
            return false;
        }
        try (Stream<Path> s = Files.list(tasks)) {
            return s.anyMatch(t -> {
                try {
                    return Files.readString(t.resolve("comm")).startsWith("dl4j-async-work");
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    private static void signal(Process p, String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(p.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> report(Path json) throws IOException {
        return (Map<String, Object>) TrainingReport.parse(Files.readString(json));
    }

    /**
     * Whether SIGINT is ignored in this process, and so in the processes it starts: a shell without job control
     * (a script's {@code cmd &}, {@code nohup}) starts its background jobs so, as POSIX says, and the JVM then leaves
     * the signal ignored. A SIGINT could not reach the child's handler.
     */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 1)) != 0; // bit 1: SIGINT (2)
            }
        }
        return false;
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void aSignalStopsTheRunWritesCheckpointAndReportAndTheResumeEndsExactly(String sig, @TempDir Path tmp)
            throws Exception {
        assumeFalse(
                sig.equals("INT") && sigintIgnored(),
                "SIGINT is ignored in this process (started in the background by a shell without job control)");
        Path dir = tmp.resolve(sig + "-ckpt");
        Path json = tmp.resolve(sig + ".json");
        Path log = tmp.resolve(sig + ".log");
        // no periodic checkpoint comes (--checkpoint-every is far away): what the signal saves is the final one
        Process p = train(dir, json, log, STEPS, false);
        awaitTraining(p, log);
        signal(p, sig);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("ends after the signal").isTrue();
        String out = Files.readString(log);
        assertThat(p.exitValue()).as(out).isEqualTo(sig.equals("TERM") ? 143 : 130);
        Map<String, Object> r = report(json);
        assertThat(r.get("stop_reason")).isEqualTo("interrupted");
        long done = ((Number) r.get("steps_accepted")).longValue();
        assertThat(done).isPositive().isLessThan(STEPS);
        Map<String, Object> c = (Map<String, Object>) r.get("checkpoints");
        assertThat(c.get("final_written")).isEqualTo(true);

        // the resume to a step count a little past the signal's ends exactly there
        long target = done + 50;
        Path json2 = tmp.resolve(sig + "-resumed.json");
        Process q = train(dir, json2, tmp.resolve(sig + "-resumed.log"), target, true);
        assertThat(q.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(q.exitValue())
                .as(Files.readString(tmp.resolve(sig + "-resumed.log")))
                .isZero();
        Map<String, Object> r2 = report(json2);
        assertThat(((Number) r2.get("steps_accepted")).longValue()).isEqualTo(target);
        assertThat(r2.get("stop_reason")).isEqualTo("max_steps");
    }

    @Test
    void aSecondSignalEndsTheProcessAtOnce(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("ckpt");
        Process p = train(dir, tmp.resolve("r.json"), tmp.resolve("r.log"), STEPS, false);
        awaitTraining(p, tmp.resolve("r.log"));
        signal(p, "TERM");
        signal(p, "TERM");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("r.log"))).isEqualTo(143);
    }

    @Test
    void aCompareChildEndsWithItsParent(@TempDir Path tmp) throws Exception {
        // a stand-in parent: a JVM that sleeps; the child is told it is its parent
        String java = ProcessHandle.current().info().command().orElse("java");
        Process parent = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), SleepForever.class.getName())
                .start();
        Path log = tmp.resolve("child.log");
        List<String> cmd = new ArrayList<>(List.of(
                java,
                "-D" + ParentWatch.PARENT_PID + "=" + parent.pid(),
                "-D" + ParentWatch.RUN_LOCK + "=" + tmp.resolve("run.lock"),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "simulate",
                "--model",
                "none",
                "--workers",
                "4",
                "--max-steps",
                "100000000000",
                "--quiet"));
        Process child = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Thread.sleep(3000);
        assertThat(child.isAlive()).as(Files.readString(log)).isTrue();
        parent.destroyForcibly(); // kill -9: no hook of the parent runs
        assertThat(child.waitFor(30, TimeUnit.SECONDS))
                .as("the child ended with its parent")
                .isTrue();
        assertThat(Files.readString(log)).contains("has ended; this run ends too");
    }

    /** The stand-in parent of {@link #aCompareChildEndsWithItsParent}. */
    public static final class SleepForever {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
