package org.dl4jasync.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.dl4jasync.dispatch.AbsPolicy;
import org.dl4jasync.dispatch.AsyncDispatcher;
import org.dl4jasync.dispatch.AutoYPolicy;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.dispatch.IntervalDispatcher;
import org.dl4jasync.dispatch.IntervalPolicy;
import org.dl4jasync.dispatch.KAsyncPolicy;
import org.dl4jasync.dispatch.ProbingIntervalPolicy;
import org.dl4jasync.dispatch.RoundPolicy;
import org.dl4jasync.dispatch.SspDispatcher;
import org.dl4jasync.metrics.AsynchronyNoise;
import org.dl4jasync.metrics.EmaLossMonitor;
import org.dl4jasync.metrics.HeldOutLossMonitor;
import org.dl4jasync.metrics.LossMonitor;
import org.dl4jasync.metrics.StepListener;
import org.dl4jasync.model.TrainableModel;
import org.dl4jasync.parallelism.ElasticController;
import org.dl4jasync.stepsize.AdaptiveStepSize;
import org.dl4jasync.stepsize.ConstantStepSize;
import org.dl4jasync.stepsize.FleetStepSize;
import org.dl4jasync.stepsize.InverseStepSize;
import org.dl4jasync.stepsize.MindTheStepSize;
import org.dl4jasync.stepsize.NormalizedStepSize;
import org.dl4jasync.stepsize.StepSizePolicy;
import org.dl4jasync.stepsize.TailStepSize;
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
    /**
     * Finished steps per candidate of the auto-y0 search, in multiples of the worker count: 4 step times (twice as
     * many made the search a large share of a short run; RESULTS.md, "Choosing y0").
     */
    static final int AUTO_PHASE_PER_WORKER = 4;
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

    RunComponents(RunSettings v, int m, Context ctx) {
        List<StepListener> obs = new ArrayList<>(v.stepListeners);
        // monitor: what the probing windows compare; search: what the searches at the start compare (auto y0, the
        // elastic log search); they differ only for SEARCH_EVAL
        LossMonitor monitor = null;
        LossMonitor search = null;
        if (OptionRules.readsLoss(v)) {
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
        this.dispatcher = dispatcher(v, m, monitor, search, ctx.clock);
        this.roundPolicy = roundPolicy(v, m);
        if (dispatcher instanceof StepListener) {
            obs.add((StepListener) dispatcher);
        }
        this.elastic = v.customElastic != null ? v.customElastic : elastic(v, m, monitor, search);
        if (elastic != null) {
            obs.add(elastic);
        }
        this.stepSize = v.customStepSize != null ? v.customStepSize : stepSize(v, m, ctx.model);
        this.noise = v.measureAin ? new AsynchronyNoise(ctx.clock, AIN_EVERY, 4L * m + 16) : null;
        this.observers = List.copyOf(obs);
    }

    private static Dispatcher dispatcher(
            RunSettings v, int m, LossMonitor monitor, LossMonitor search, DoubleSupplier clock) {
        switch (v.algorithm) {
            case SYNC:
                return null;
            case INTERVAL:
                return new IntervalDispatcher(
                        m,
                        v.autoY0
                                ? new AutoYPolicy(
                                        m,
                                        (long) AUTO_PHASE_PER_WORKER * m,
                                        search,
                                        clock,
                                        y0 -> intervalPolicy(v, y0, monitor, clock))
                                : intervalPolicy(v, v.intervalY, monitor, clock));
            case ASYNC:
                return v.customDispatcher != null ? v.customDispatcher.apply(m) : new AsyncDispatcher(m);
            case BOUNDED:
                return AsyncDispatcher.bounded(m, v.maxStaleness != null ? v.maxStaleness : m);
            case SSP:
                return new SspDispatcher(m, v.sspSlack != null ? v.sspSlack : RunConfig.DEFAULT_SSP_SLACK);
            case KASYNC:
            case ABS:
                return null;
            default:
                return new AsyncDispatcher(m);
        }
    }

    private static RoundPolicy roundPolicy(RunSettings v, int m) {
        if (v.customRoundPolicy != null) {
            return v.customRoundPolicy.apply(m);
        }
        switch (v.algorithm) {
            case KASYNC: {
                int k = v.kasyncAll ? m : v.kasyncK != null ? v.kasyncK : RunConfig.defaultK(m);
                return v.kasyncAdaptive ? KAsyncPolicy.adaptive(k, m) : KAsyncPolicy.fixed(k, m);
            }
            case ABS:
                return new AbsPolicy.Builder(m)
                        .k0(v.absK0 != null ? v.absK0 : RunConfig.defaultK(m))
                        .c(v.absC != null ? v.absC : m)
                        .build();
            default:
                return null;
        }
    }

    private static IntervalPolicy intervalPolicy(RunSettings v, int y0, LossMonitor monitor, DoubleSupplier clock) {
        switch (v.intervalPolicy) {
            case DECAY:
                return IntervalPolicy.decay(y0, v.yDecayAmount, v.yDecayEvery, Math.min(v.yMin, y0));
            case PROBE:
                return new ProbingIntervalPolicy(
                        y0, v.probeWindow, v.probeStep, v.probeSteps, v.probeExec, monitor, clock);
            default:
                return IntervalPolicy.fixed(y0);
        }
    }

    private static ElasticController elastic(RunSettings v, int m, LossMonitor monitor, LossMonitor search) {
        if (v.algorithm != Algorithm.ELASTIC && v.parallelism != Parallelism.ELASTIC) {
            return null;
        }
        ElasticController.Builder e = new ElasticController.Builder(m, monitor)
                .executionFactor(v.elasticIp)
                .probingFactor(v.elasticDp)
                .window(v.elasticWp)
                .search(v.elasticSearch)
                .searchMonitor(search);
        if (v.elasticM0 != null) {
            e.initialWorkers(v.elasticM0);
        }
        if (v.baselineWorkers != null) {
            e.baselineWorkers(v.baselineWorkers);
        }
        return e.build();
    }

    private static StepSizePolicy stepSize(RunSettings v, int m, TrainableModel model) {
        switch (v.stepSize) {
            case TAIL: {
                TailStepSize.Builder b =
                        new TailStepSize.Builder(m).amplitude(v.tailAmplitude).phi(v.tailPhi);
                return window(b, v).build(); // mean-preserving by construction: normalize changes nothing
            }
            case MINDTHESTEP: {
                double eta = v.mtsEta != null
                        ? v.mtsEta
                        : model.learningRate()
                                .orElseThrow(() -> new IllegalArgumentException(
                                        "MindTheStep's c(tau) needs the base learning rate eta, and "
                                                + (model.hasParameters()
                                                        ? "the model's layers have no single updater learning rate"
                                                        : "a run without a model has none")
                                                + ": give it with mtsEta (--mts-eta)"));
                MindTheStepSize.Builder b = new MindTheStepSize.Builder(m, eta).form(v.mtsForm);
                if (v.mtsMomentum != null) {
                    b.momentum(v.mtsMomentum);
                }
                if (v.mtsLambda == MtsLambda.MEASURED) {
                    b.measuredLambda();
                } else if (v.mtsLambda == MtsLambda.GIVEN) {
                    b.lambda(v.mtsLambdaValue);
                }
                return window(b, v).build(); // normalised by construction (eq. A.26)
            }
            default: {
                StepSizePolicy rule = v.stepSize == StepSizeRule.INVERSE
                        ? InverseStepSize.INSTANCE
                        : v.stepSize == StepSizeRule.FLEET ? new FleetStepSize(m) : ConstantStepSize.INSTANCE;
                return v.normalize
                        ? window(new NormalizedStepSize.Builder(rule, m), v).build()
                        : rule;
            }
        }
    }

    private static <B extends AdaptiveStepSize.Builder<B>> B window(B b, RunSettings v) {
        if (v.tailWarmup != null) {
            b.warmup(v.tailWarmup);
        }
        if (v.tailWindow != null) {
            b.window(v.tailWindow);
        }
        if (v.tailFrozen) {
            b.frozen();
        } else if (v.tailRefresh != null) {
            b.refreshEvery(v.tailRefresh);
        }
        return b;
    }
}
