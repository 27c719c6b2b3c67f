package org.dl4jasync.examples.cli;

import java.util.Locale;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.dl4jasync.trainer.ProgressListener;

/** A progress bar on stderr (accepted steps, recent loss, mean staleness), from the progressbar library. */
final class ConsoleProgress implements ProgressListener, AutoCloseable {
    private ProgressBar bar;

    @Override
    public void onProgress(double seconds, long acceptedSteps, long totalSteps, double recentLoss,
                           double stalenessMean) {
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(totalSteps)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed()
                    .setUnit(" steps", 1)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
        }
        bar.stepTo(acceptedSteps);
        StringBuilder extra = new StringBuilder();
        if (!Double.isNaN(recentLoss)) {
            extra.append(String.format(Locale.ROOT, "loss %.3f", recentLoss));
        }
        if (!Double.isNaN(stalenessMean)) {
            extra.append(String.format(Locale.ROOT, " τ̄ %.2f", stalenessMean));
        }
        bar.setExtraMessage(extra.toString());
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
