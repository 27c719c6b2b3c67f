package org.dl4jasync.bench.compare;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs each command in a fresh JVM (same Java, class path and maximum heap as this one; the environment, with its
 * {@code OMP_NUM_THREADS}, is inherited), its output in a log file next to the report.
 *
 * <p>Every run of a suite uses the code the suite started with: the class path entries that lie inside the
 * project ({@code dl4jasync.home}: {@code target/classes}, the core module's jar) are copied once into a temporary
 * directory that the child JVMs load from, so a build during a long suite (which rewrites {@code target/}) can
 * neither break a run that starts mid-build nor mix two versions of the code in one comparison. Dependencies in the
 * Maven repository are used in place. {@link #close()} deletes the copy.
 */
public final class JvmExecutor implements Comparison.Executor, AutoCloseable {
    private final String mainClass;
    private final Path snapshot;
    private final String classPath;
    private final Thread cleanup;
    /** The children running now (run by the suite's job threads; stopped by the shutdown hook). */
    private final Set<Process> children = ConcurrentHashMap.newKeySet();
    /** How long a child may take to stop after SIGTERM when this JVM exits. */
    private static final long GRACE_NANOS = 10_000_000_000L;
    /** System properties the children read (cli.ParentWatch). */
    static final String PARENT_PID = "dl4jasync.parent.pid";

    static final String RUN_LOCK = "dl4jasync.run.lock";

    /** An executor whose children load this JVM's class path, the project's own entries from a snapshot. */
    public JvmExecutor(String mainClass) throws IOException {
        this(mainClass, System.getProperty("java.class.path"), System.getProperty("dl4jasync.home"));
    }

    JvmExecutor(String mainClass, String classPath, String home) throws IOException {
        this.mainClass = mainClass;
        this.snapshot = Files.createTempDirectory("dl4j-async-compare-classpath");
        this.cleanup = new Thread(
                () -> {
                    stopChildren();
                    delete();
                },
                "dl4j-async-compare-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup); // also when the suite is interrupted (Ctrl-C)
        this.classPath = snapshot(
                classPath, home == null ? null : Path.of(home).toAbsolutePath().normalize(), snapshot);
    }

    /** The class path the child JVMs get. */
    String classPath() {
        return classPath;
    }

    /**
     * Copies the entries of {@code classPath} under {@code home} into {@code into} (entry i as {@code i-name}) and
     * returns the class path with those entries replaced; other entries, and all of them when {@code home} is null,
     * are kept as they are. A missing entry is kept (the JVM ignores it too).
     */
    static String snapshot(String classPath, Path home, Path into) throws IOException {
        List<String> out = new ArrayList<>();
        String[] entries = classPath.split(File.pathSeparator);
        for (int i = 0; i < entries.length; i++) {
            Path entry = Path.of(entries[i]).toAbsolutePath().normalize();
            if (home == null || !entry.startsWith(home) || !Files.exists(entry)) {
                out.add(entries[i]);
                continue;
            }
            Path copy = into.resolve(i + "-" + entry.getFileName());
            copyRecursively(entry, copy);
            out.add(copy.toString());
        }
        return String.join(File.pathSeparator, out);
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    @Override
    public int run(List<String> args, Path log) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx" + Runtime.getRuntime().maxMemory() / (1024 * 1024) + "m");
        String home = System.getProperty("dl4jasync.home");
        if (home != null) {
            cmd.add("-Ddl4jasync.home=" + home);
        }
        cmd.add("-D" + PARENT_PID + "=" + ProcessHandle.current().pid()); // the child ends with this JVM
        cmd.add("-D" + RUN_LOCK + "=" + Comparison.lockOf(log));
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        children.add(p);
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            throw e;
        } finally {
            children.remove(p);
        }
    }

    /**
     * At this JVM's exit (a signal, System.exit): asks every running child to stop (SIGTERM: it ends its run as
     * after a stop) and, after a grace period, ends those still there. A child whose parent died without hooks
     * ({@code kill -9}) ends by itself (it watches its parent).
     */
    private void stopChildren() {
        List<Process> running = new ArrayList<>(children);
        for (Process p : running) {
            p.destroy();
        }
        long deadline = System.nanoTime() + GRACE_NANOS;
        for (Process p : running) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }

    /** Deletes the snapshot of the project's classes. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) anyway
        }
        delete();
    }

    private void delete() {
        if (!Files.exists(snapshot)) {
            return;
        }
        try (Stream<Path> files = Files.walk(snapshot)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the class path snapshot " + snapshot, e);
        }
    }
}
