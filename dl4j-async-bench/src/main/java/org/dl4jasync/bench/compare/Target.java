package org.dl4jasync.bench.compare;

import java.util.Locale;

/**
 * A level whose time to reach the suite compares: a test accuracy (reached at the first evaluation at or above it), or
 * a fraction of the initial training loss (reached at the first loss-trace point at or below that fraction of the
 * reference loss: the first loss-trace point of the suite's first configuration that ran on the same seed, so that
 * every configuration of a seed is measured against one number).
 *
 * @param loss  whether {@code level} is a fraction of the initial loss (else a test accuracy)
 * @param level in (0, 1]
 */
public record Target(boolean loss, double level) {

    public static Target accuracy(double level) {
        return new Target(false, level);
    }

    public static Target lossFraction(double level) {
        return new Target(true, level);
    }

    /** For a table: {@code 85%} or {@code loss 50%}. */
    public String label() {
        double p = Math.round(level * 1000) / 10.0;
        String percent = (p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p)) + "%";
        return loss ? "loss " + percent : percent;
    }

    /** The runs.csv column: {@code time_to_0.85} or {@code time_to_loss_0.5}. */
    public String column() {
        return String.format(Locale.ROOT, loss ? "time_to_loss_%s" : "time_to_%s", level);
    }
}
