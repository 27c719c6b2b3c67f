package org.dl4jasync.bench;

import java.util.List;

import org.dl4jasync.metrics.TracePoint;

/** Reading the reports' traces in the benchmarks. */
final class Traces {
    private Traces() {
    }

    /** Seconds at the first point at or below {@code level} (e.g. a fraction of the initial loss), or null. */
    static Double firstAtOrBelow(List<TracePoint> trace, double level) {
        for (TracePoint p : trace) {
            if (p.value <= level) {
                return p.seconds;
            }
        }
        return null;
    }
}
