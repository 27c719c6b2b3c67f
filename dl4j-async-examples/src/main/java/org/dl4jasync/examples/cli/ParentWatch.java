package org.dl4jasync.examples.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A {@code compare}'s child run, started with {@code -Ddl4jasync.parent.pid=PID}: it never outlives the compare that
 * started it (however that ended, {@code kill -9} included; the child's report would have no reader), and it holds
 * the lock of its report ({@link #RUN_LOCK}) while it lives, so that a resumed compare never runs the same run
 * twice at once ({@code Comparison} waits for the lock before it starts a run).
 */
final class ParentWatch {
    /** The parent's process id: set by {@code JvmExecutor} on the children it starts. */
    static final String PARENT_PID = "dl4jasync.parent.pid";
    /** The run's lock file: set by {@code JvmExecutor}; locked by the child for its lifetime. */
    static final String RUN_LOCK = "dl4jasync.run.lock";
    /** How often the parent is looked for. */
    private static final long POLL_MILLIS = 250;
    /** Held until the process ends (the OS releases it then, also after kill -9). */
    private static FileLock held;

    private ParentWatch() {}

    /** Starts watching the parent and takes the run's lock, when the system properties say so. */
    static void fromSystemProperty() {
        String lock = System.getProperty(RUN_LOCK);
        if (lock != null) {
            lock(Path.of(lock));
        }
        String pid = System.getProperty(PARENT_PID);
        if (pid == null) {
            return;
        }
        long parent;
        try {
            parent = Long.parseLong(pid);
        } catch (NumberFormatException e) {
            return;
        }
        Thread t = new Thread(() -> watch(parent), "dl4j-async-parent-watch");
        t.setDaemon(true);
        t.start();
    }

    private static void watch(long parent) {
        while (ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
        System.err.println(
                "dl4j-async: the compare that started this run (pid " + parent + ") has ended; this run " + "ends too");
        Runtime.getRuntime().halt(Main.EXIT_FAILED);
    }

    private static void lock(Path file) {
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            held = ch.lock(); // waits if an earlier run of the same report still holds it
        } catch (IOException e) {
            System.err.println("dl4j-async: cannot lock " + file + ": " + e.getMessage());
        }
    }
}
