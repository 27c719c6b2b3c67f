package org.dl4jasync.examples.cli;

import java.util.Locale;

/** Whether progress goes to a person at a terminal (a bar redrawn in place) or to a log (plain lines). */
public final class Terminal {
    /**
     * Overrides the detection: {@code bar} or {@code lines} (e.g. {@code DL4J_ASYNC_PROGRESS=lines} in a terminal
     * that records its output).
     */
    static final String OVERRIDE = "DL4J_ASYNC_PROGRESS";

    private Terminal() {}

    /**
     * True when the JVM has a console: stdin and stdout are a terminal (with stdout or stderr redirected to a file
     * or a pipe, as in CI logs, {@code nohup} or {@code | tee}, it is not), unless {@link #OVERRIDE} says otherwise.
     */
    public static boolean isInteractive() {
        String o = System.getenv(OVERRIDE);
        if ("bar".equals(o)) {
            return true;
        }
        if ("lines".equals(o)) {
            return false;
        }
        return System.console() != null;
    }

    /** {@code h:mm:ss}. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
