package org.dl4jasync.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.dispatch.RoundPolicy;
import org.dl4jasync.metrics.StepListener;
import org.dl4jasync.parallelism.ElasticController;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.stepsize.Phi;
import org.dl4jasync.stepsize.StepSizePolicy;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/** The settings of a run. Mutable only inside a {@link RunOptions}; a {@link RunConfig} holds a private copy. */
final class RunSettings implements Cloneable {
    Algorithm algorithm = Algorithm.ASYNC;
    Parallelism parallelism = Parallelism.FIXED;
    ParameterStore.Kind store = ParameterStore.Kind.HOGWILD;
    /** Null: unbounded. */
    Integer persistence;

    int workers = Runtime.getRuntime().availableProcessors();
    long seed = RunConfig.DEFAULT_SEED;
    // stop conditions (null: not set)
    Integer epochs;
    Long maxSteps;
    Duration timeLimit;
    Double virtualTimeLimit;
    Double targetAccuracy;
    // evaluation and traces
    MultiDataSetIterator evalData;
    /** Null: the default ({@link #evalEvery()}). */
    Long evalEvery;
    /** Null: not by time. */
    Double evalEverySeconds;

    EvaluationMode evaluationMode = EvaluationMode.PAUSED;
    NonFinitePolicy nonFinite = NonFinitePolicy.FAIL;
    OptimizerState optimizerState = OptimizerState.PER_WORKER;
    // checkpoints (threads only)
    java.nio.file.Path checkpointDir;
    /** Null: not by steps. */
    Long checkpointEvery;
    /** Null: not by time (the default when neither is given: {@link RunConfig#DEFAULT_CHECKPOINT_SECONDS}). */
    Double checkpointEverySeconds;

    int keepCheckpoints = RunConfig.DEFAULT_KEEP_CHECKPOINTS;
    java.nio.file.Path resumeFrom;
    long lossTraceEvery = RunConfig.DEFAULT_LOSS_TRACE_EVERY;
    // Interval-Asynchrony
    IntervalSchedule intervalPolicy = IntervalSchedule.FIXED;
    boolean autoY0;
    int intervalY = RunConfig.DEFAULT_INTERVAL_Y;
    int yDecayAmount = RunConfig.DEFAULT_Y_DECAY_AMOUNT;
    long yDecayEvery = RunConfig.DEFAULT_Y_DECAY_EVERY;
    int yMin = RunConfig.DEFAULT_Y_MIN;
    int probeWindow = RunConfig.DEFAULT_PROBE_WINDOW;
    int probeStep = RunConfig.DEFAULT_PROBE_STEP;
    long probeSteps = RunConfig.DEFAULT_PROBE_STEPS;
    long probeExec = RunConfig.DEFAULT_PROBE_EXEC;
    // the bounded-staleness family (null: not set, the default applies)
    Long maxStaleness;
    Integer sspSlack;
    Integer kasyncK;
    boolean kasyncAll;
    boolean kasyncAdaptive;
    Integer absK0;
    Double absC;
    Integer localSteps;
    // elastic parallelism and the controllers' loss
    Integer elasticM0;
    int elasticIp = RunConfig.DEFAULT_ELASTIC_IP;
    int elasticDp = RunConfig.DEFAULT_ELASTIC_DP;
    int elasticWp = RunConfig.DEFAULT_ELASTIC_WP;
    org.dl4jasync.parallelism.ElasticSearch elasticSearch = org.dl4jasync.parallelism.ElasticSearch.PAPER;
    Integer baselineWorkers;
    LossSignal lossMonitor = LossSignal.EMA;
    MultiDataSet heldOut;
    // step size
    StepSizeRule stepSize = StepSizeRule.CONSTANT;
    double tailAmplitude = 1.0;
    Phi tailPhi = Phi.IDENTITY;
    Long tailWarmup;
    boolean tailFrozen;
    Long tailRefresh;
    Integer tailWindow;
    Double mtsMomentum;
    /** null: the model's learning rate. */
    Double mtsEta;

    org.dl4jasync.stepsize.MindTheStepSize.Form mtsForm = org.dl4jasync.stepsize.MindTheStepSize.Form.PRINTED;
    MtsLambda mtsLambda = MtsLambda.WORKERS;
    double mtsLambdaValue;
    boolean normalize;
    boolean measureAin;
    // library extension points
    IntFunction<Dispatcher> customDispatcher;
    IntFunction<RoundPolicy> customRoundPolicy;
    StepSizePolicy customStepSize;
    ElasticController customElastic;
    List<StepListener> stepListeners = new ArrayList<>();
    /**
     * The options of one algorithm, store or controller that were set explicitly (their keys), for the rule that
     * refuses them with another ({@code OptionRules}): an option that is silently ignored misleads.
     */
    java.util.Set<String> given = new java.util.TreeSet<>();

    @Override
    protected RunSettings clone() {
        try {
            RunSettings c = (RunSettings) super.clone();
            c.stepListeners = new ArrayList<>(stepListeners);
            c.given = new java.util.TreeSet<>(given);
            return c;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }
}
