package org.dl4jasync.bench.compare;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.dl4jasync.examples.cli.Terminal;

/**
 * Progress of a suite on stderr: a bar of runs in a terminal; elsewhere one plain line per run started and finished
 * (runs done of all, elapsed time, ETA), without carriage returns.
 */
final class CompareProgress implements Comparison.Progress, AutoCloseable {
    private final int runs;
    private final PrintStream err;
    private final ProgressBar bar;
    private final long start = System.nanoTime();
    private int done; // the thread that runs the suite's progress callbacks (Comparison's caller)

    CompareProgress(int runs) {
        this(runs, Terminal.isInteractive(), System.err);
    }

    CompareProgress(int runs, boolean terminal, PrintStream err) {
        this.runs = runs;
        this.err = err;
        this.bar = terminal
                ? new ProgressBarBuilder()
                        .setTaskName("compare")
                        .setInitialMax(runs)
                        .setStyle(ProgressBarStyle.ASCII)
                        .setUnit(" runs", 1)
                        .setUpdateIntervalMillis(1000)
                        .setConsumer(new ConsoleProgressBarConsumer(err))
                        .build()
                : null;
    }

    @Override
    public synchronized void started(Comparison.PlannedRun r, int index, int total) {
        if (bar != null) {
            bar.setExtraMessage(" " + r.label());
        } else {
            line("started " + r.label());
        }
    }

    @Override
    public synchronized void finished(Comparison.PlannedRun r, boolean ok, boolean skipped) {
        done++;
        if (bar != null) {
            bar.step();
        } else {
            line((skipped ? "already done " : ok ? "finished " : "FAILED ") + r.label());
        }
        if (!ok) {
            err.println("dl4j-async compare: " + r.label() + " failed; see its log in "
                    + r.report().getParent());
        }
    }

    private void line(String what) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        String eta = done > 0 && done < runs ? ", ETA " + Terminal.duration(elapsed / done * (runs - done)) : "";
        err.println(String.format(
                Locale.ROOT,
                "compare %d/%d runs done, %s elapsed%s: %s",
                done,
                runs,
                Terminal.duration(elapsed),
                eta,
                what));
        err.flush();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
