package org.dl4jasync.examples.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.IntFunction;

import org.dl4jasync.dispatch.AutoYPolicy;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.dispatch.IntervalDispatcher;
import org.dl4jasync.dispatch.IntervalPolicy;
import org.dl4jasync.dispatch.ProbingIntervalPolicy;
import org.dl4jasync.metrics.LossMonitor;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.metrics.StepListener;

/**
 * The Interval-Asynchrony dispatcher a {@link RunSpec} asks for, the step listeners its policy needs (the loss
 * monitor for probing, the staleness measurement for auto y0), and its trace for the report.
 */
final class IntervalSetup {
    /** Calibration phase of auto y0, in multiples of the worker count. */
    static final int AUTO_CALIBRATION_PER_WORKER = 8;

    private final RunSpec spec;
    private final DoubleSupplier clock;
    private final LossMonitor monitor;
    private final List<long[]> trace = Collections.synchronizedList(new ArrayList<>());
    private final List<StepListener> listeners = new ArrayList<>();
    private volatile IntervalDispatcher dispatcher;
    private volatile AutoYPolicy auto;

    /**
     * @param clock   seconds, real or the simulator's virtual clock
     * @param monitor the run's loss monitor (for probing), fed by the runner
     */
    IntervalSetup(RunSpec spec, DoubleSupplier clock, LossMonitor monitor) {
        this.spec = spec;
        this.clock = clock;
        this.monitor = monitor;
        listeners.add((w, t, accepted, tau, scale, loss) -> {
            AutoYPolicy a = auto;
            if (a != null) {
                a.onStep(w, t, accepted, tau, scale, loss);
            }
        });
    }

    /** Step listeners to register with the trainer or simulator. */
    List<StepListener> stepListeners() {
        return listeners;
    }

    private IntervalPolicy base(int y0) {
        switch (spec.intervalPolicy) {
            case "decay":
                return IntervalPolicy.decay(y0, spec.yDecayAmount, spec.yDecayEvery, Math.min(spec.yMin, y0));
            case "probe":
                return new ProbingIntervalPolicy(y0, spec.probeWindow, spec.probeStep, spec.probeSteps,
                        spec.probeExec, monitor, clock);
            default:
                return IntervalPolicy.fixed(y0);
        }
    }

    IntFunction<Dispatcher> factory() {
        return m -> {
            trace.clear();
            IntervalPolicy policy;
            if (spec.intervalYAuto) {
                auto = new AutoYPolicy((long) AUTO_CALIBRATION_PER_WORKER * m, m, this::base);
                policy = auto;
            } else {
                policy = base(spec.intervalY);
            }
            IntervalDispatcher d = new IntervalDispatcher(m, policy,
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
        if (auto != null) {
            report.config.put("interval_y_chosen", auto.chosenY0());
        }
    }
}
