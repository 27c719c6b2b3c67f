package org.dl4jasync.examples.cli;

import java.util.function.DoubleSupplier;

import org.dl4jasync.dispatch.AutoYPolicy;
import org.dl4jasync.dispatch.IntervalDispatcher;
import org.dl4jasync.dispatch.IntervalPolicy;
import org.dl4jasync.dispatch.ProbingIntervalPolicy;
import org.dl4jasync.metrics.EmaLossMonitor;
import org.dl4jasync.metrics.LossMonitor;
import org.dl4jasync.parallelism.ElasticController;
import org.dl4jasync.trainer.RunBuilder;

/**
 * The controllers a {@link RunSpec} asks for (Interval-Asynchrony's policies, ElAsyncSGD's elastic parallelism),
 * given to the trainer's or the simulator's builder: one loss monitor shared by both controllers. The run reports
 * their sections itself (the dispatcher and the controller own them).
 */
final class Controls {
    /** EMA weight of the minibatch-loss monitor: about the last 100 steps. */
    static final double LOSS_EMA_WEIGHT = 0.01;
    /** Calibration phase of auto y0, in multiples of the worker count. */
    static final int AUTO_CALIBRATION_PER_WORKER = 8;

    private Controls() {
    }

    /**
     * @param clock   seconds, real or virtual
     * @param heldOut the held-out loss for {@code --loss-monitor eval}, or null when it is not asked for
     */
    static void apply(RunSpec spec, RunBuilder<?> b, DoubleSupplier clock, LossMonitor heldOut) {
        EmaLossMonitor ema = new EmaLossMonitor(LOSS_EMA_WEIGHT);
        LossMonitor monitor = "eval".equals(spec.lossMonitor) ? heldOut : ema;
        if (monitor == ema) {
            b.stepListener(ema);
        }
        int m = spec.effectiveWorkers();
        if ("interval".equals(spec.algorithm)) {
            b.dispatcher(workers -> new IntervalDispatcher(workers, spec.intervalYAuto
                    ? new AutoYPolicy((long) AUTO_CALIBRATION_PER_WORKER * workers, workers,
                            y0 -> intervalPolicy(spec, y0, monitor, clock))
                    : intervalPolicy(spec, spec.intervalY, monitor, clock)));
        }
        if (spec.elastic()) {
            ElasticController.Builder e = new ElasticController.Builder(m, monitor)
                    .executionFactor(spec.elasticIp).probingFactor(spec.elasticDp).window(spec.elasticWp);
            if (spec.elasticM0 != null) {
                e.initialWorkers(spec.elasticM0);
            }
            if (spec.baselineWorkers != null) {
                e.baselineWorkers(spec.baselineWorkers);
            }
            b.elastic(e.build());
        }
    }

    private static IntervalPolicy intervalPolicy(RunSpec spec, int y0, LossMonitor monitor, DoubleSupplier clock) {
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
}
