package org.dl4jasync.examples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.IntFunction;

import org.dl4jasync.dispatch.AsyncDispatcher;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.metrics.EmaLossMonitor;
import org.dl4jasync.metrics.LossMonitor;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.metrics.StepListener;

/**
 * The controllers a {@link RunSpec} asks for (Interval-Asynchrony's policies, ElAsyncSGD's elastic parallelism),
 * composed for the trainer or the simulator: one dispatcher factory, one loss monitor shared by both controllers,
 * the step listeners they need, and their report sections.
 */
final class Controls {
    /** EMA weight of the minibatch-loss monitor: about the last 100 steps. */
    static final double LOSS_EMA_WEIGHT = 0.01;

    private final IntervalSetup interval;
    private final ElasticSetup elastic;
    private final IntFunction<Dispatcher> factory;
    private final List<StepListener> listeners = new ArrayList<>();

    /**
     * @param clock   seconds, real or virtual
     * @param heldOut the held-out loss for {@code --loss-monitor eval}, or null when it is not asked for
     */
    Controls(RunSpec spec, DoubleSupplier clock, LossMonitor heldOut) {
        EmaLossMonitor ema = new EmaLossMonitor(LOSS_EMA_WEIGHT);
        LossMonitor monitor = "eval".equals(spec.lossMonitor) ? heldOut : ema;
        if (monitor == ema) {
            listeners.add(ema);
        }
        interval = "interval".equals(spec.algorithm) ? new IntervalSetup(spec, clock, monitor) : null;
        elastic = spec.elastic() ? new ElasticSetup(spec, clock, monitor) : null;
        IntFunction<Dispatcher> f = interval != null ? interval.factory() : null;
        if (interval != null) {
            listeners.addAll(interval.stepListeners());
        }
        if (elastic != null) {
            f = elastic.wrap(f != null ? f : AsyncDispatcher::new);
            listeners.add(elastic.stepListener());
        }
        factory = f;
    }

    /** The dispatcher factory, or null for the trainer's default (plain async, all workers active). */
    IntFunction<Dispatcher> dispatcherFactory() {
        return factory;
    }

    List<StepListener> stepListeners() {
        return listeners;
    }

    boolean any() {
        return interval != null || elastic != null;
    }

    /** @param end the run's end on the controllers' clock */
    void fill(TrainingReport report, double end) {
        if (interval != null) {
            interval.fill(report);
        }
        if (elastic != null) {
            elastic.fill(report, end);
        }
    }
}
