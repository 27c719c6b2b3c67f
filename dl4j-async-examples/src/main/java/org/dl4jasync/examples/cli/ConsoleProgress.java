package org.dl4jasync.examples.cli;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.dl4jasync.trainer.ProgressListener;

/**
 * Progress of a training run on stderr: in a terminal, a progress bar (the progressbar library) with the recent loss
 * and mean staleness; elsewhere (CI logs, {@code nohup}, {@code | tee}) a plain status line every
 * {@value #LINE_EVERY_SECONDS} seconds and one at the end, without carriage returns: steps, steps/s, loss, τ̄, ETA.
 */
final class ConsoleProgress implements ProgressListener, AutoCloseable {
    static final double LINE_EVERY_SECONDS = 5;

    private final boolean terminal;
    private final PrintStream err;
    private ProgressBar bar;
    // line mode: the last values seen and when the last line was printed (fit's thread only)
    private double lastLineAt = Double.NEGATIVE_INFINITY;
    private double seconds;
    private long accepted;
    private long total;
    private double loss = Double.NaN;
    private double staleness = Double.NaN;
    private boolean pending;

    ConsoleProgress() {
        this(Terminal.isInteractive(), System.err);
    }

    ConsoleProgress(boolean terminal, PrintStream err) {
        this.terminal = terminal;
        this.err = err;
    }

    @Override
    public void onProgress(
            double seconds, long acceptedSteps, long totalSteps, double recentLoss, double stalenessMean) {
        if (terminal) {
            bar(acceptedSteps, totalSteps, recentLoss, stalenessMean);
            return;
        }
        this.seconds = seconds;
        this.accepted = acceptedSteps;
        this.total = totalSteps;
        if (!Double.isNaN(recentLoss)) {
            this.loss = recentLoss;
        }
        if (!Double.isNaN(stalenessMean)) {
            this.staleness = stalenessMean;
        }
        pending = true;
        if (seconds - lastLineAt >= LINE_EVERY_SECONDS) {
            printLine();
        }
    }

    private void bar(long acceptedSteps, long totalSteps, double recentLoss, double stalenessMean) {
        if (bar == null) {
            bar = new ProgressBarBuilder()
                    .setTaskName("train")
                    .setInitialMax(totalSteps)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500)
                    .showSpeed()
                    .setUnit(" steps", 1)
                    .setConsumer(new ConsoleProgressBarConsumer(err))
                    .build();
        }
        bar.stepTo(acceptedSteps);
        bar.setExtraMessage(extra(recentLoss, stalenessMean));
    }

    /** The bar's message after its speed: a leading separator, so that the speed's unit and "loss" stay apart. */
    static String extra(double recentLoss, double stalenessMean) {
        StringBuilder extra = new StringBuilder();
        if (!Double.isNaN(recentLoss)) {
            extra.append(String.format(Locale.ROOT, " · loss %.3f", recentLoss));
        }
        if (!Double.isNaN(stalenessMean)) {
            extra.append(String.format(Locale.ROOT, " · τ̄ %.2f", stalenessMean));
        }
        return extra.toString();
    }

    private void printLine() {
        err.println(line(seconds, accepted, total, loss, staleness));
        err.flush();
        lastLineAt = seconds;
        pending = false;
    }

    /** One status line: {@code train 1200/3000 steps (40%), 512.3 steps/s, loss 0.512, τ̄ 1.93, ETA 0:00:04}. */
    static String line(double seconds, long accepted, long total, double loss, double staleness) {
        StringBuilder s = new StringBuilder("train ").append(accepted);
        if (total > 0) {
            s.append('/')
                    .append(total)
                    .append(" steps (")
                    .append(Math.min(100, accepted * 100 / total))
                    .append("%)");
        } else {
            s.append(" steps");
        }
        double rate = seconds > 0 && accepted > 0 ? accepted / seconds : Double.NaN;
        if (!Double.isNaN(rate)) {
            s.append(String.format(Locale.ROOT, ", %.1f steps/s", rate));
        }
        if (!Double.isNaN(loss)) {
            s.append(String.format(Locale.ROOT, ", loss %.3f", loss));
        }
        if (!Double.isNaN(staleness)) {
            s.append(String.format(Locale.ROOT, ", τ̄ %.2f", staleness));
        }
        if (total > 0 && rate > 0) {
            s.append(", ETA ").append(Terminal.duration(Math.max(0, total - accepted) / rate));
        }
        return s.toString();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
        if (pending) {
            printLine(); // the last values, so that a log ends with where the run ended
        }
    }
}
