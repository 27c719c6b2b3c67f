package org.dl4jasync.examples.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that defines a training run, validated. Built by the {@code train} command from its options and by
 * the benchmarks directly; {@link #toConfig()} is the report's {@code config} object.
 */
public final class RunSpec {
    public static final String[] DATASETS = {"embedded", "fashion-mnist"};
    public static final String[] MODELS = {"lenet", "mlp"};
    public static final String[] SIMULATED_MODELS = {"none", "lenet", "mlp"};
    public static final String[] ALGORITHMS = {"sequential", "sync", "async", "interval", "elastic", "parallelwrapper"};
    public static final String[] SIMULATED_ALGORITHMS = {"sequential", "sync", "async", "interval", "elastic"};
    public static final String[] PARALLELISMS = {"fixed", "elastic"};
    public static final String[] LOSS_MONITORS = {"ema", "eval"};
    /** Training examples held out for {@code --loss-monitor eval} (not trained on). */
    public static final int HELD_OUT = 500;
    public static final String[] INTERVAL_POLICIES = {"fixed", "decay", "probe"};
    public static final String[] STORES = {"hogwild", "locked", "leashed"};
    public static final String[] STEP_SIZES = {"constant", "tail", "inverse", "fleet", "mindthestep"};
    public static final String[] TAIL_PHIS = {"identity", "smoothstep", "step"};

    public String dataset = "embedded";
    public Path dataDir;
    public String model = "lenet";
    public String algorithm = "async";
    public String store = "hogwild";
    /** Failed CAS attempts allowed ({@link Integer#MAX_VALUE}: unbounded). */
    public int persistence = Integer.MAX_VALUE;
    public int workers = Runtime.getRuntime().availableProcessors();
    public int batch = 16;
    public double lr = 0.01;
    public double momentum = 0.5;
    public long seed = 42;
    /** Null: 3 epochs unless another stop condition is given, then unbounded. */
    public Integer epochs;
    public Long maxSteps;
    public Double timeLimitSeconds;
    public Double targetAccuracy;
    /** Evaluate every this many accepted steps; null: 250 with a target accuracy, else only at the end. */
    public Long evalEvery;
    /** Interval-Asynchrony: first interval size y0 (ignored when {@link #intervalYAuto}). */
    public int intervalY = 64;
    /** y0 from the measured staleness of a calibration phase ({@code --interval-y auto}). */
    public boolean intervalYAuto;
    public int probeWindow = 16;
    public int probeStep = 4;
    public long probeSteps = 1024;
    public long probeExec = 8192;
    public String intervalPolicy = "fixed";
    public int yDecayAmount = 1;
    public long yDecayEvery = 4096;
    public int yMin = 4;
    /** fixed, or elastic (ElAsyncSGD's controller sets the active worker count); {@code --algorithm elastic} implies it. */
    public String parallelism = "fixed";
    /** Elastic: initial active workers; null: ⌈workers/2⌉. */
    public Integer elasticM0;
    public int elasticIp = 100;
    public int elasticDp = 10;
    public int elasticWp = 1;
    /** The loss the controllers compare (elastic, y-probing): ema (minibatch losses) or eval (held-out sample). */
    public String lossMonitor = "ema";
    /** Elastic: constant worker count to compare worker-seconds with (break-even time); null: none. */
    public Integer baselineWorkers;
    /** Measure the asynchrony-induced noise ‖ξ‖ (ElAsyncSGD Definition D.4.2). */
    public boolean measureAin;
    /** Staleness-adaptive step size: one of {@link #STEP_SIZES}. */
    public String stepSize = "constant";
    public double tailAmplitude = 1.0;
    public String tailPhi = "identity";
    /** Applied updates at factor 1 before the staleness distribution is estimated; null: 15·m. */
    public Long tailWarmup;
    /** Re-estimate every this many applied updates; null: window/10; 0: frozen. */
    public Long tailRefresh;
    /** Applied updates the estimate covers; null: max(1000, 10·m). */
    public Integer tailWindow;
    /** MindTheStep's desired momentum K; null: 1 − 1/m. */
    public Double mtsMomentum;
    /** MindTheStep's Poisson λ; null: m; NaN: the measured mean staleness. */
    public Double mtsLambda;
    /** Scale the step-size factors to mean 1 over the observed staleness. */
    public boolean normalize;
    public Path json;
    public Path csv;
    public boolean quiet;

    public static final int DEFAULT_EPOCHS = 3;
    public static final long DEFAULT_EVAL_EVERY_WITH_TARGET = 250;

    /** Throws {@link UsageException} naming the option, the value and what is allowed. */
    public RunSpec validate() {
        return validate(false);
    }

    /** As {@link #validate()}; for a simulation {@code --model none} is allowed and only async/sequential. */
    public RunSpec validate(boolean simulated) {
        choice("--dataset", dataset, DATASETS);
        choice("--model", model, simulated ? SIMULATED_MODELS : MODELS);
        choice("--algorithm", algorithm, simulated ? SIMULATED_ALGORITHMS : ALGORITHMS);
        validateElastic();
        choice("--interval-policy", intervalPolicy, INTERVAL_POLICIES);
        atLeast("--interval-y", intervalY, 1);
        atLeast("--y-decay-amount", yDecayAmount, 1);
        atLeast("--y-decay-every", yDecayEvery, 1);
        atLeast("--y-min", yMin, 1);
        atLeast("--probe-window", probeWindow, 0);
        atLeast("--probe-step", probeStep, 1);
        atLeast("--probe-steps", probeSteps, 1);
        atLeast("--probe-exec", probeExec, 1);
        if ("decay".equals(intervalPolicy) && !intervalYAuto && yMin > intervalY) {
            throw new UsageException("--y-min", String.valueOf(yMin), "at most --interval-y (" + intervalY + ")");
        }
        choice("--store", store, STORES);
        validateStepSize();
        atLeast("--workers", workers, 1);
        atLeast("--batch", batch, 1);
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new UsageException("--lr", String.valueOf(lr), "a positive number");
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new UsageException("--momentum", String.valueOf(momentum), "a number in [0, 1)");
        }
        if (persistence < 0) {
            throw new UsageException("--persistence", String.valueOf(persistence), "an integer >= 0 or 'unbounded'");
        }
        if (epochs != null) {
            atLeast("--epochs", epochs, 1);
        }
        if (maxSteps != null && maxSteps < 1) {
            throw new UsageException("--max-steps", String.valueOf(maxSteps), "an integer >= 1");
        }
        if (timeLimitSeconds != null && !(timeLimitSeconds > 0)) {
            throw new UsageException("--time-limit", String.valueOf(timeLimitSeconds), "a positive number of seconds");
        }
        if (targetAccuracy != null && !(targetAccuracy > 0 && targetAccuracy <= 1)) {
            throw new UsageException("--target-accuracy", String.valueOf(targetAccuracy), "a number in (0, 1]");
        }
        if (evalEvery != null && evalEvery < 1) {
            throw new UsageException("--eval-every", String.valueOf(evalEvery), "an integer >= 1 (accepted steps)");
        }
        if (dataDir != null && !"fashion-mnist".equals(dataset)) {
            throw new UsageException("--data-dir", dataDir.toString(), "only with --dataset fashion-mnist");
        }
        if ("parallelwrapper".equals(algorithm) && targetAccuracy != null) {
            throw new UsageException("--target-accuracy", String.valueOf(targetAccuracy),
                    "not with --algorithm parallelwrapper (DL4J's wrapper evaluates only at the end)");
        }
        return this;
    }

    /** True when ElAsyncSGD's controller runs: {@code --algorithm elastic} or {@code --parallelism elastic}. */
    public boolean elastic() {
        return "elastic".equals(algorithm) || "elastic".equals(parallelism);
    }

    private void validateElastic() {
        choice("--parallelism", parallelism, PARALLELISMS);
        choice("--loss-monitor", lossMonitor, LOSS_MONITORS);
        if ("elastic".equals(parallelism) && !"async".equals(algorithm) && !"interval".equals(algorithm)
                && !"elastic".equals(algorithm)) {
            throw new UsageException("--parallelism", parallelism, "fixed with --algorithm " + algorithm
                    + " (elastic parallelism controls async, interval or elastic)");
        }
        if (elasticM0 != null && (elasticM0 < 1 || elasticM0 > workers)) {
            throw new UsageException("--elastic-m0", String.valueOf(elasticM0), "an integer in [1, --workers ("
                    + workers + ")]");
        }
        atLeast("--elastic-ip", elasticIp, 1);
        atLeast("--elastic-dp", elasticDp, 1);
        atLeast("--elastic-wp", elasticWp, 1);
        if (baselineWorkers != null) {
            atLeast("--baseline-workers", baselineWorkers, 1);
            if (!elastic()) {
                throw new UsageException("--baseline-workers", String.valueOf(baselineWorkers),
                        "only with elastic parallelism (--algorithm elastic or --parallelism elastic)");
            }
        }
        boolean monitorUser = elastic() || ("interval".equals(algorithm) && "probe".equals(intervalPolicy));
        if ("eval".equals(lossMonitor) && !monitorUser) {
            throw new UsageException("--loss-monitor", lossMonitor, "ema unless a controller reads the loss "
                    + "(elastic parallelism or --interval-policy probe)");
        }
    }

    private void validateStepSize() {
        choice("--step-size", stepSize, STEP_SIZES);
        choice("--tail-phi", tailPhi, TAIL_PHIS);
        if (!(tailAmplitude >= 0 && tailAmplitude <= 1)) {
            throw new UsageException("--tail-amplitude", String.valueOf(tailAmplitude), "a number in [0, 1]");
        }
        if (tailWarmup != null) {
            atLeast("--tail-warmup", tailWarmup, 1);
        }
        if (tailRefresh != null && tailRefresh < 0) {
            throw new UsageException("--tail-refresh", String.valueOf(tailRefresh), "'frozen' or an integer >= 1");
        }
        if (tailWindow != null) {
            atLeast("--tail-window", tailWindow, 1);
        }
        if (mtsMomentum != null && !(mtsMomentum >= 0 && mtsMomentum < 1)) {
            throw new UsageException("--mts-momentum", String.valueOf(mtsMomentum), "a number in [0, 1)");
        }
        if (mtsLambda != null && !Double.isNaN(mtsLambda) && !(mtsLambda > 0 && Double.isFinite(mtsLambda))) {
            throw new UsageException("--mts-lambda", String.valueOf(mtsLambda), "a positive number, 'workers' or "
                    + "'measured'");
        }
        boolean async = "async".equals(algorithm) || "interval".equals(algorithm) || "elastic".equals(algorithm);
        if (!async && (!"constant".equals(stepSize) || normalize)) {
            throw new UsageException("--step-size", stepSize + (normalize ? " --normalize" : ""),
                    "constant with --algorithm " + algorithm + " (updates have no staleness to adapt to; use "
                            + "async or interval)");
        }
    }

    /** Epochs to run: as given, else unbounded when another stop condition is set, else the default. */
    public int effectiveEpochs() {
        return effectiveEpochs(false);
    }

    /** As {@link #effectiveEpochs()}, where {@code otherStop} says a stop condition not in this spec is set. */
    public int effectiveEpochs(boolean otherStop) {
        if (epochs != null) {
            return epochs;
        }
        return otherStop || maxSteps != null || timeLimitSeconds != null || targetAccuracy != null
                ? Integer.MAX_VALUE : DEFAULT_EPOCHS;
    }

    public long effectiveEvalEvery() {
        if (evalEvery != null) {
            return evalEvery;
        }
        return targetAccuracy != null ? DEFAULT_EVAL_EVERY_WITH_TARGET : 0;
    }

    public int effectiveWorkers() {
        return "sequential".equals(algorithm) ? 1 : workers;
    }

    private static void choice(String option, String value, String[] allowed) {
        for (String a : allowed) {
            if (a.equals(value)) {
                return;
            }
        }
        throw new UsageException(option, value, "one of " + String.join(", ", allowed));
    }

    private static void atLeast(String option, long value, long min) {
        if (value < min) {
            throw new UsageException(option, String.valueOf(value), "an integer >= " + min);
        }
    }

    public Map<String, Object> toConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("dataset", dataset);
        c.put("data_dir", dataDir == null ? null : dataDir.toString());
        c.put("model", model);
        c.put("algorithm", algorithm);
        c.put("store", store);
        c.put("interval_y", intervalYAuto ? "auto" : intervalY);
        c.put("interval_policy", intervalPolicy);
        c.put("y_decay_amount", yDecayAmount);
        c.put("y_decay_every", yDecayEvery);
        c.put("y_min", yMin);
        c.put("probe_window", probeWindow);
        c.put("probe_step", probeStep);
        c.put("probe_steps", probeSteps);
        c.put("probe_exec", probeExec);
        c.put("parallelism", elastic() ? "elastic" : "fixed");
        c.put("elastic_m0", elasticM0);
        c.put("elastic_ip", elasticIp);
        c.put("elastic_dp", elasticDp);
        c.put("elastic_wp", elasticWp);
        c.put("loss_monitor", lossMonitor);
        c.put("baseline_workers", baselineWorkers);
        c.put("measure_ain", measureAin);
        c.put("step_size", stepSize);
        c.put("tail_amplitude", tailAmplitude);
        c.put("tail_phi", tailPhi);
        c.put("tail_warmup", tailWarmup);
        c.put("tail_refresh", tailRefresh == null ? null : tailRefresh == 0 ? "frozen" : tailRefresh);
        c.put("tail_window", tailWindow);
        c.put("mts_momentum", mtsMomentum);
        c.put("mts_lambda", mtsLambda == null ? null : Double.isNaN(mtsLambda) ? "measured" : mtsLambda);
        c.put("normalize", normalize);
        c.put("persistence", persistence == Integer.MAX_VALUE ? "unbounded" : persistence);
        c.put("workers", effectiveWorkers());
        c.put("batch", batch);
        c.put("lr", lr);
        c.put("momentum", momentum);
        c.put("seed", seed);
        c.put("epochs", effectiveEpochs() == Integer.MAX_VALUE ? null : effectiveEpochs());
        c.put("max_steps", maxSteps);
        c.put("time_limit", timeLimitSeconds);
        c.put("target_accuracy", targetAccuracy);
        c.put("eval_every", effectiveEvalEvery());
        c.put("json", json == null ? null : json.toString());
        c.put("csv", csv == null ? null : csv.toString());
        c.put("quiet", quiet);
        return c;
    }

    public String describe() {
        String how = "async".equals(algorithm) || "elastic".equals(algorithm) ? algorithm + "/" + store
                : "interval".equals(algorithm) ? "interval(" + intervalPolicy + ", y0 " + (intervalYAuto ? "auto" : intervalY)
                        + ")/" + store
                : algorithm;
        if (elastic() && !"elastic".equals(algorithm)) {
            how += " + elastic parallelism";
        }
        String step = "constant".equals(stepSize) && !normalize ? ""
                : ", step size " + stepSize + (normalize ? " (normalised)" : "");
        return String.format(Locale.ROOT, "%s, %s, %d worker%s, batch %d, lr %s, momentum %s%s", model, how,
                effectiveWorkers(), effectiveWorkers() == 1 ? "" : "s", batch, lr, momentum, step);
    }
}
