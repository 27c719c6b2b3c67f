package org.dl4jasync.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.dispatch.RoundPolicy;
import org.dl4jasync.metrics.AsynchronyNoise;
import org.dl4jasync.metrics.EmaLossMonitor;
import org.dl4jasync.metrics.HeldOutLossMonitor;
import org.dl4jasync.metrics.LossMonitor;
import org.dl4jasync.metrics.StepListener;
import org.dl4jasync.model.TrainableModel;
import org.dl4jasync.parallelism.ElasticController;
import org.dl4jasync.stepsize.StepSizePolicy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One run's components, composed from a {@link RunConfig} ({@link RunConfig#compose}): the dispatcher with its
 * interval policy, the step-size policy, the elastic controller, the loss monitor the controllers read, the
 * asynchrony-noise meter, and the step listeners in the order they see each step. Stateful components are new for
 * every run, so two {@code fit} calls of one trainer do not share staleness windows or controller phases.
 *
 * <p><b>Engine-internal</b>: public only because other packages of the core use it; not part of the API for users
 * and may change without notice (see DESIGN.md, "Public API").
 */
public final class RunComponents {
    /** EMA weight of the minibatch-loss monitor: about the last 100 steps. */
    static final double LOSS_EMA_WEIGHT = 0.01;
    /** Measured iterations per point of the asynchrony-noise trace. */
    static final long AIN_EVERY = 50;

    /** What the engine gives the composition. */
    public static final class Context {
        final TrainableModel model;
        final DoubleSupplier clock;
        final Consumer<INDArray> latestParams;

        /**
         * @param clock        seconds since the start of the run, real or virtual
         * @param latestParams copies the run's current parameters into its argument (the store's consistent copy)
         */
        public Context(TrainableModel model, DoubleSupplier clock, Consumer<INDArray> latestParams) {
            this.model = model;
            this.clock = clock;
            this.latestParams = latestParams;
        }
    }

    /** The dispatcher of an asynchronous or sequential run; null for the round-based ones (the engine's rounds dispatch). */
    public final Dispatcher dispatcher;
    /** K-async and ABS: the policy of the engine's rounds; else null. */
    public final RoundPolicy roundPolicy;

    public final StepSizePolicy stepSize;
    /** Null unless the active worker count is controlled. */
    public final ElasticController elastic;
    /** Null unless asynchrony noise is measured. */
    public final AsynchronyNoise noise;
    /** The user's step listeners, then the loss monitor when it listens, the dispatcher's, the controller. */
    public final List<StepListener> observers;

    RunComponents(RunConfig v, int m, Context ctx) {
        List<StepListener> obs = new ArrayList<>(v.stepListeners);
        // monitor: what the probing windows compare; search: what the searches at the start compare (auto y0, the
        // elastic log search); they differ only for SEARCH_EVAL
        LossMonitor monitor = null;
        LossMonitor search = null;
        if (v.readsLoss()) {
            LossMonitor heldOut = v.lossMonitor.needsHeldOut()
                    ? new HeldOutLossMonitor(ctx.model, v.heldOut, ctx.latestParams)
                    : null;
            if (v.lossMonitor != LossSignal.EVAL) {
                EmaLossMonitor ema = new EmaLossMonitor(LOSS_EMA_WEIGHT);
                obs.add(ema);
                monitor = ema;
            } else {
                monitor = heldOut;
            }
            search = heldOut != null ? heldOut : monitor;
        }
        this.dispatcher = v.store instanceof CoordinatedStore shared
                ? shared.dispatcher(v.dispatch, m)
                : v.dispatch.dispatcher(m, monitor, search, ctx.clock);
        this.roundPolicy = v.dispatch.roundPolicy(v.roundWorkers());
        if (dispatcher instanceof StepListener) {
            obs.add((StepListener) dispatcher);
        }
        this.elastic = v.elastic == null ? null : v.elastic.create(m, monitor, search);
        if (elastic != null) {
            obs.add(elastic);
        }
        this.stepSize = v.stepSize.create(m, () -> ctx.model
                .learningRate()
                .orElseThrow(
                        () -> new IllegalArgumentException("MindTheStep's c(tau) needs the base learning rate eta, and "
                                + (ctx.model.hasParameters()
                                        ? "the model's layers have no single updater learning rate"
                                        : "a run without a model has none")
                                + ": give it with mtsEta (--mts-eta)")));
        this.noise = v.measureAin ? new AsynchronyNoise(ctx.clock, AIN_EVERY, 4L * m + 16) : null;
        this.observers = List.copyOf(obs);
    }
}
