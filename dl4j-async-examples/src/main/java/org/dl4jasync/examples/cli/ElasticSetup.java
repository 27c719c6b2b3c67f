package org.dl4jasync.examples.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.IntFunction;

import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.metrics.LossMonitor;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parallelism.ElasticController;
import org.dl4jasync.metrics.StepListener;

/**
 * ElAsyncSGD's controller for a {@link RunSpec} with elastic parallelism: binds it to the run's dispatcher (plain
 * async or Interval-Asynchrony), records its parallelism trace and fills the report.
 */
final class ElasticSetup {
    private final RunSpec spec;
    private final LossMonitor monitor;
    private final DoubleSupplier clock;
    private final List<Number[]> trace = Collections.synchronizedList(new ArrayList<>());
    private volatile ElasticController controller;

    ElasticSetup(RunSpec spec, DoubleSupplier clock, LossMonitor monitor) {
        this.spec = spec;
        this.clock = clock;
        this.monitor = monitor;
    }

    /** The dispatcher of {@code inner}, its active-worker bound controlled by a fresh controller. */
    IntFunction<Dispatcher> wrap(IntFunction<Dispatcher> inner) {
        return m -> {
            Dispatcher d = inner.apply(m);
            trace.clear();
            ElasticController.Builder b = new ElasticController.Builder(m, monitor, clock)
                    .executionFactor(spec.elasticIp).probingFactor(spec.elasticDp).window(spec.elasticWp)
                    .listener((seconds, accepted, workers) -> trace.add(new Number[] {seconds, accepted, workers}));
            if (spec.elasticM0 != null) {
                b.initialWorkers(spec.elasticM0);
            }
            ElasticController c = b.build();
            c.bind(d.active());
            controller = c;
            return d;
        };
    }

    StepListener stepListener() {
        return (w, ticket, accepted, tau, scale, loss) -> {
            ElasticController c = controller;
            if (c != null) {
                c.onStep(w, ticket, accepted, tau, scale, loss);
            }
        };
    }

    /** @param end the run's end on the controller's clock */
    void fill(TrainingReport report, double end) {
        if ("elastic".equals(spec.algorithm)) {
            report.algorithm = "elastic";
        }
        synchronized (trace) {
            report.parallelismTrace = new ArrayList<>(trace);
        }
        if (spec.baselineWorkers != null && !report.parallelismTrace.isEmpty()) {
            report.breakEven = TrainingReport.BreakEven.of(report.parallelismTrace, end, spec.baselineWorkers);
        }
        ElasticController c = controller;
        if (c != null) {
            report.config.put("elastic_probing_phases", c.probingPhases());
        }
    }
}
