package org.dl4jasync.examples.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;

import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.dispatch.IntervalDispatcher;
import org.dl4jasync.dispatch.IntervalPolicy;
import org.dl4jasync.metrics.TrainingReport;

/** The Interval-Asynchrony dispatcher a {@link RunSpec} asks for, and its trace for the report. */
final class IntervalSetup {
    private final RunSpec spec;
    private final List<long[]> trace = Collections.synchronizedList(new ArrayList<>());
    private volatile IntervalDispatcher dispatcher;

    IntervalSetup(RunSpec spec) {
        this.spec = spec;
    }

    IntervalPolicy policy() {
        return "decay".equals(spec.intervalPolicy)
                ? IntervalPolicy.decay(spec.intervalY, spec.yDecayAmount, spec.yDecayEvery, spec.yMin)
                : IntervalPolicy.fixed(spec.intervalY);
    }

    IntFunction<Dispatcher> factory() {
        return m -> {
            trace.clear();
            IntervalDispatcher d = new IntervalDispatcher(m, policy(),
                    (index, accepted, y) -> trace.add(new long[] {accepted, y}));
            dispatcher = d;
            return d;
        };
    }

    void fill(TrainingReport report) {
        report.algorithm = "interval";
        synchronized (trace) {
            report.intervalTrace = new ArrayList<>(trace);
        }
        report.intervalsCompleted = dispatcher == null ? 0 : dispatcher.intervalsCompleted();
    }
}
