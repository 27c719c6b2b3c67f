package org.dl4jasync.metrics;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The report's {@code staleness}: the staleness of every applied update. Filled by {@link TrainingReport}. */
@JsonPropertyOrder({"histogram", "mean", "p50", "p99", "max"})
public final class StalenessSection {
    /** [[τ, count], …] over all applied updates, exact; empty when the algorithm does not measure τ. */
    List<long[]> histogram = new ArrayList<>();

    public List<long[]> histogram() {
        return histogram == null ? null : Collections.unmodifiableList(histogram);
    }

    Double mean;
    Long p50;
    Long p99;
    Long max;

    void fill(StalenessHistogram h) {
        histogram = h.entries();
        if (h.total() > 0) {
            mean = h.mean();
            p50 = h.quantile(0.5);
            p99 = h.quantile(0.99);
            max = h.max();
        }
    }

    public Double mean() {
        return mean;
    }

    public Long p50() {
        return p50;
    }

    public Long p99() {
        return p99;
    }

    public Long max() {
        return max;
    }

    /**
     * The section of several runs' updates together (e.g. the members of a cluster training): their histograms
     * ([[τ, count], …] each) added up, and the statistics of the sum, as one run's.
     */
    public static StalenessSection merged(List<List<long[]>> histograms) {
        StalenessHistogram all = new StalenessHistogram();
        for (List<long[]> h : histograms) {
            for (long[] e : h) {
                all.record(e[0], e[1]);
            }
        }
        StalenessSection s = new StalenessSection();
        s.fill(all);
        return s;
    }
}
