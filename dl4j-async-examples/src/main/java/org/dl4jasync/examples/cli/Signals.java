package org.dl4jasync.examples.cli;

import java.util.function.Supplier;
import sun.misc.Signal;

/**
 * SIGINT (Ctrl-C) and SIGTERM for the command line, so that a signal never loses a run's work:
 * <ul>
 *   <li>during a run ({@link #during}): the first signal stops it as {@code stopFit} would (its stop reason is
 *       {@code interrupted}); the command then writes the final checkpoint, the report and the summary as after any
 *       stop, and exits with 128 + the signal's number (130 for SIGINT, 143 for SIGTERM);</li>
 *   <li>after a run, while its results are written ({@link #finishing}): the signal is remembered and the command
 *       exits with that status once they are written;</li>
 *   <li>at any other time (reading data, {@code compare} waiting for its runs): the process exits at once with that
 *       status, running the shutdown hooks ({@code compare}'s ends its child runs);</li>
 *   <li>a second signal always ends the process at once.</li>
 * </ul>
 * Installed by {@link Main#main} only (tests call {@link Main#run}, with the JVM's default handling).
 *
 * <p>Protocol: {@link #stop} and {@link #phase} are guarded by {@link #LOCK} (the handler thread and the command's
 * thread, a few times per run); {@link #received} is written once under it and read without it.
 */
final class Signals {
    private static final Object LOCK = new Object();
    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int FINISHING = 2;
    private static Runnable stop;
    private static int phase = IDLE;
    private static volatile Signal received;
    private static boolean installed;

    private Signals() {}

    /** Replaces the JVM's handling of SIGINT and SIGTERM (once). */
    static void install() {
        synchronized (LOCK) {
            if (installed) {
                return;
            }
            installed = true;
        }
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), Signals::handle);
            } catch (IllegalArgumentException unavailable) {
                // not on this platform (or reserved by the JVM's -Xrs): the default handling stays
            }
        }
    }

    private static void handle(Signal s) {
        Runnable toRun;
        synchronized (LOCK) {
            if (received != null) {
                Runtime.getRuntime().halt(128 + s.getNumber()); // the second: at once
            }
            received = s;
            toRun = phase == RUNNING ? stop : null;
            if (phase == IDLE) {
                System.err.println("dl4j-async: SIG" + s.getName() + ": exiting");
                exitLater(128 + s.getNumber());
                return;
            }
        }
        System.err.println("dl4j-async: SIG" + s.getName() + ": stopping; the final checkpoint and the report follow "
                + "(a second signal exits at once)");
        if (toRun != null) {
            toRun.run();
        }
    }

    /** System.exit on a thread of its own: the handler's thread must not wait for the shutdown hooks. */
    private static void exitLater(int status) {
        Thread t = new Thread(() -> System.exit(status), "dl4j-async-signal-exit");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Runs {@code body} (a run) with {@code stopper} as the first signal's action; a signal that came before
     * stops the run at once. Afterwards the command is {@link #finishing} until {@link #exitStatus}.
     */
    static <T> T during(Runnable stopper, Supplier<T> body) {
        synchronized (LOCK) {
            stop = stopper;
            phase = RUNNING;
            if (received != null) {
                stopper.run();
            }
        }
        try {
            return body.get();
        } finally {
            synchronized (LOCK) {
                stop = null;
                phase = FINISHING;
            }
        }
    }

    /**
     * {@link #during} for a run on the calling thread that an interrupt stops ({@code AsyncTrainer.fit}: stop
     * reason {@code interrupted}); the interrupt is cleared when the run has returned, so that writing its results
     * is not cut short.
     */
    static <T> T duringFit(Supplier<T> fit) {
        Thread caller = Thread.currentThread();
        try {
            return during(caller::interrupt, fit);
        } finally {
            Thread.interrupted(); // the signal's interrupt, if any; no other comes after `stop` was cleared
        }
    }

    /** Marks the results of a run as being written (a signal now waits for them). */
    static void finishing() {
        synchronized (LOCK) {
            phase = FINISHING;
        }
    }

    /** {@code status}, or 128 + the signal's number when one came; the command is idle again. */
    static int exitStatus(int status) {
        synchronized (LOCK) {
            phase = IDLE;
        }
        Signal s = received;
        return s == null ? status : 128 + s.getNumber();
    }

    /** The signal received, or null (for messages and tests). */
    static String received() {
        Signal s = received;
        return s == null ? null : "SIG" + s.getName();
    }
}
