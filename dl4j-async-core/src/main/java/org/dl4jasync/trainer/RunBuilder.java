package org.dl4jasync.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

import org.dl4jasync.dispatch.AsyncDispatcher;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.metrics.AsynchronyNoise;
import org.dl4jasync.metrics.StepListener;
import org.dl4jasync.parallelism.ElasticController;
import org.dl4jasync.parameters.LeashedStore;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.stepsize.ConstantStepSize;
import org.dl4jasync.stepsize.StepSizePolicy;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The options every run has, whichever engine runs it (threads: {@link AsyncTrainer.Builder}; virtual time:
 * {@link Simulator.Builder}), each validated where it is set and together in {@link #validate()}: one place for their
 * defaults and their rules.
 *
 * @param <B> the concrete builder
 */
public abstract class RunBuilder<B extends RunBuilder<B>> {
    Algorithm algorithm = Algorithm.ASYNC;
    ParameterStore.Kind storeKind = ParameterStore.Kind.HOGWILD;
    int workers;
    int persistence = LeashedStore.UNBOUNDED;
    IntFunction<Dispatcher> dispatcherFactory = AsyncDispatcher::new;
    StepSizePolicy stepSize = ConstantStepSize.INSTANCE;
    AsynchronyNoise noise;
    long seed;
    long maxSteps = Long.MAX_VALUE;
    DataSetIterator evalData;
    long evalEvery;
    double targetAccuracy = Double.NaN;
    long lossTraceEvery = 50;
    final List<StepListener> stepListeners = new ArrayList<>();
    ElasticController elastic;

    RunBuilder(int workers, long seed) {
        this.workers = workers;
        this.seed = seed;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** SEQUENTIAL (one worker, the equivalent of {@code net.fit}), SYNC or ASYNC (default). */
    public B algorithm(Algorithm a) {
        this.algorithm = Objects.requireNonNull(a, "algorithm");
        return self();
    }

    /** Parameter-store semantics for {@link Algorithm#ASYNC} (default HOGWILD). */
    public B store(ParameterStore.Kind kind) {
        this.storeKind = Objects.requireNonNull(kind, "store");
        return self();
    }

    /** Workers, ≥ 1. */
    public B workers(int m) {
        if (m < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + m);
        }
        this.workers = m;
        return self();
    }

    /** Failed CAS attempts allowed per update in the LEASHED store: ≥ 0 or {@link LeashedStore#UNBOUNDED} (default). */
    public B persistence(int p) {
        if (p < 0) {
            throw new IllegalArgumentException("persistence must be >= 0 or unbounded, got " + p);
        }
        this.persistence = p;
        return self();
    }

    /**
     * The dispatcher for {@link Algorithm#ASYNC}, created per run from the worker count (default: plain async). An
     * {@link org.dl4jasync.dispatch.IntervalDispatcher} labels the run {@code interval} and reports its trace.
     */
    public B dispatcher(IntFunction<Dispatcher> factory) {
        this.dispatcherFactory = Objects.requireNonNull(factory, "dispatcher");
        return self();
    }

    /**
     * Elastic parallelism (ElAsyncSGD): {@code controller} sets the number of active workers of every run (it is
     * bound to the run's dispatcher and sees every step); built for m̂ = {@link #workers(int)}. Its loss monitor must
     * be fed too (e.g. add an {@code EmaLossMonitor} as a step listener).
     */
    public B elastic(ElasticController controller) {
        this.elastic = Objects.requireNonNull(controller, "controller");
        return self();
    }

    /** Measures the asynchrony-induced noise ‖ξ‖ of applied updates (off by default; slows the run when on). */
    public B asynchronyNoise(AsynchronyNoise n) {
        this.noise = n;
        return self();
    }

    /**
     * Scales each applied update by a factor of its staleness (default {@link ConstantStepSize}). The policy keeps
     * state (the observed staleness distribution): give each trainer its own instance.
     */
    public B stepSize(StepSizePolicy policy) {
        this.stepSize = Objects.requireNonNull(policy, "stepSize");
        return self();
    }

    /** Seeds batch order and the workers' random generators (and the simulator's step times). */
    public B seed(long s) {
        this.seed = s;
        return self();
    }

    /** Stop after this many applied updates (exact), ≥ 1. */
    public B maxSteps(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxSteps must be >= 1, got " + n);
        }
        this.maxSteps = n;
        return self();
    }

    /** Evaluate accuracy on {@code data} every {@code everySteps} applied updates (0: only at the end). */
    public B evaluation(DataSetIterator data, long everySteps) {
        if (data == null) {
            throw new IllegalArgumentException("evaluation data is null");
        }
        if (everySteps < 0) {
            throw new IllegalArgumentException("evaluation interval must be >= 0 steps (0: only at the end), got "
                    + everySteps);
        }
        this.evalData = data;
        this.evalEvery = everySteps;
        return self();
    }

    /** Stop once accuracy on the evaluation data reaches {@code accuracy} in (0, 1]; needs {@link #evaluation}. */
    public B targetAccuracy(double accuracy) {
        if (!(accuracy > 0 && accuracy <= 1)) {
            throw new IllegalArgumentException("target accuracy must be in (0, 1], got " + accuracy);
        }
        this.targetAccuracy = accuracy;
        return self();
    }

    /** A loss-trace point every this many applied updates, ≥ 1 (default 50). */
    public B lossTraceEvery(long steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("lossTraceEvery must be >= 1, got " + steps);
        }
        this.lossTraceEvery = steps;
        return self();
    }

    /** Sees every finished step (applied, rejected or dropped) on the thread that ran it. */
    public B stepListener(StepListener l) {
        stepListeners.add(Objects.requireNonNull(l, "stepListener"));
        return self();
    }

    int effectiveWorkers() {
        return algorithm == Algorithm.SEQUENTIAL ? 1 : workers;
    }

    /** The rules between options; throws IllegalArgumentException saying what is wrong and what is allowed. */
    void validate() {
        if (!Double.isNaN(targetAccuracy) && evalData == null) {
            throw new IllegalArgumentException("targetAccuracy needs evaluation data: call evaluation(iterator, "
                    + "everySteps)");
        }
        if (!Double.isNaN(targetAccuracy) && evalEvery == 0) {
            throw new IllegalArgumentException("targetAccuracy needs an evaluation interval >= 1 step");
        }
        if (elastic != null && algorithm != Algorithm.ASYNC) {
            throw new IllegalArgumentException("elastic parallelism controls the ASYNC algorithm's workers; "
                    + "got " + algorithm);
        }
        if (elastic != null && elastic.maxWorkers() != effectiveWorkers()) {
            throw new IllegalArgumentException("the elastic controller was built for m̂ = " + elastic.maxWorkers()
                    + " workers but the run has " + effectiveWorkers() + "; build it with the same count");
        }
        if (algorithm != Algorithm.ASYNC && stepSize != ConstantStepSize.INSTANCE) {
            throw new IllegalArgumentException("step-size policy " + stepSize.name() + " scales updates by their "
                    + "staleness, which only the ASYNC algorithm has; use ConstantStepSize with " + algorithm);
        }
    }

    /** The plan of one run (the model and listeners are the facade's). */
    RunPlan plan() {
        RunPlan p = new RunPlan();
        p.algorithm = algorithm;
        p.storeKind = storeKind;
        p.persistence = persistence;
        p.workers = effectiveWorkers();
        p.dispatcherFactory = dispatcherFactory;
        p.stepSize = stepSize;
        p.noise = noise;
        p.seed = seed;
        p.maxSteps = maxSteps;
        p.evalData = evalData;
        p.evalEvery = evalEvery;
        p.targetAccuracy = targetAccuracy;
        p.lossTraceEvery = lossTraceEvery;
        p.stepListeners = List.copyOf(stepListeners);
        p.elastic = elastic;
        return p;
    }
}
