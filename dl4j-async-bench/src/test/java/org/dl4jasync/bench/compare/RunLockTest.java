package org.dl4jasync.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resumed suite never runs one run twice at once: while an earlier process of a run (the child of a killed
 * compare, still ending) holds the run's lock, the compare waits for it before it starts the run again.
 */
@Timeout(120)
class RunLockTest {
    /** A process that holds a lock on the file given until it is killed. */
    public static final class HoldLock {
        public static void main(String[] args) throws Exception {
            FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            ch.lock();
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void aRunWaitsWhileAnEarlierProcessHoldsItsLock(@TempDir Path tmp) throws Exception {
        Path lock = tmp.resolve("x-seed1.log.lock");
        Comparison.PlannedRun run = new Comparison.PlannedRun(
                new Suite.Configuration("x", List.of()), 1, tmp.resolve("x-seed1.json"), List.of());
        assertThat(Comparison.waitForEarlier(lock, run)).as("free: no wait").isFalse();

        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), HoldLock.class.getName(), lock.toString())
                .start();
        try {
            assertThat(new String(holder.getInputStream().readNBytes(6))).isEqualTo("locked");
            CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> {
                try {
                    return Comparison.waitForEarlier(lock, run);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1000);
            assertThat(waited).as("waiting while the earlier process lives").isNotDone();
            holder.destroyForcibly(); // the OS releases its lock, as after kill -9
            assertThat(waited.get(30, TimeUnit.SECONDS)).as("waited").isTrue();
        } finally {
            holder.destroyForcibly();
        }
        assertThat(Files.exists(lock)).isTrue();
    }
}
