package org.dl4jasync.examples.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** The options of {@code train}, as a picocli mixin so that later commands ({@code simulate}) take the same ones. */
public final class TrainOptions {
    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "embedded",
            description = "embedded (8,000/2,000 Fashion-MNIST sample bundled with the jar) or fashion-mnist "
                    + "(full 60,000/10,000). Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory with the Fashion-MNIST IDX files (.gz or raw). Default: "
                    + "/usr/share/datasets/fashion-mnist, else ~/.deeplearning4j/data/fashion-mnist.")
    Path dataDir;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "lenet",
            description = "lenet (LeNet-5) or mlp (3×128 ReLU). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--algorithm", paramLabel = "NAME", defaultValue = "async",
            description = "sequential, sync, async, interval (Interval-Asynchrony), elastic (ElAsyncSGD) or parallelwrapper (DL4J's "
                    + "ParallelWrapper). Default: ${DEFAULT-VALUE}.")
    String algorithm;

    @Option(names = "--interval-y", paramLabel = "Y|auto", defaultValue = "64",
            description = "Interval-Asynchrony: size y0 of the first interval (accepted steps), or auto (4 × the mean "
                    + "staleness of a calibration phase of 8m steps, after m warm-up steps). Default: ${DEFAULT-VALUE}.")
    String intervalY;

    @Option(names = "--interval-policy", paramLabel = "NAME", defaultValue = "fixed",
            description = "Interval-Asynchrony: fixed (y constant), decay or probe. Default: ${DEFAULT-VALUE}.")
    String intervalPolicy;

    @Option(names = "--probe-window", paramLabel = "W", defaultValue = "16",
            description = "probe: window width around y (grows with y, see docs). Default: ${DEFAULT-VALUE}.")
    int probeWindow;

    @Option(names = "--probe-step", paramLabel = "S", defaultValue = "4",
            description = "probe: distance between candidates (grows with y). Default: ${DEFAULT-VALUE}.")
    int probeStep;

    @Option(names = "--probe-steps", paramLabel = "P", defaultValue = "1024",
            description = "probe: accepted steps at each candidate. Default: ${DEFAULT-VALUE}.")
    long probeSteps;

    @Option(names = "--probe-exec", paramLabel = "X", defaultValue = "8192",
            description = "probe: accepted steps of an execution phase. Default: ${DEFAULT-VALUE}.")
    long probeExec;

    @Option(names = "--y-decay-amount", paramLabel = "N", defaultValue = "1",
            description = "decay: y decreases by N ... Default: ${DEFAULT-VALUE}.")
    int yDecayAmount;

    @Option(names = "--y-decay-every", paramLabel = "STEPS", defaultValue = "4096",
            description = "decay: ... every STEPS accepted steps. Default: ${DEFAULT-VALUE}.")
    long yDecayEvery;

    @Option(names = "--y-min", paramLabel = "Y", defaultValue = "4",
            description = "decay: never below Y. Default: ${DEFAULT-VALUE}.")
    int yMin;

    @Option(names = "--parallelism", paramLabel = "fixed|elastic", defaultValue = "fixed",
            description = "elastic: ElAsyncSGD's controller adapts the active worker count (with async or interval). "
                    + "Default: ${DEFAULT-VALUE}.")
    String parallelism;

    @Option(names = "--elastic-m0", paramLabel = "M", description = "Elastic: initial active workers. Default: workers/2.")
    Integer elasticM0;

    @Option(names = "--elastic-ip", paramLabel = "K", defaultValue = "100",
            description = "Elastic: execution phase of K × m accepted steps. Default: ${DEFAULT-VALUE}.")
    int elasticIp;

    @Option(names = "--elastic-dp", paramLabel = "K", defaultValue = "10",
            description = "Elastic: K × m accepted steps per probed level. Default: ${DEFAULT-VALUE}.")
    int elasticDp;

    @Option(names = "--elastic-wp", paramLabel = "W", defaultValue = "1",
            description = "Elastic: levels probed on each side of m. Default: ${DEFAULT-VALUE}.")
    int elasticWp;

    @Option(names = "--loss-monitor", paramLabel = "ema|eval", defaultValue = "ema",
            description = "Loss the controllers compare: ema of minibatch losses (cheap, noisy) or eval on "
                    + RunSpec.HELD_OUT + " held-out training examples (accurate, costs a forward pass per phase). "
                    + "Default: ${DEFAULT-VALUE}.")
    String lossMonitor;

    @Option(names = "--baseline-workers", paramLabel = "M",
            description = "Elastic: report the break-even time against a constant-M run's worker-seconds.")
    Integer baselineWorkers;

    @Option(names = "--measure-ain",
            description = "Measure the asynchrony-induced noise ‖ξ‖ = η‖∇L(v) − ∇L(θ)‖ of applied updates (a trace).")
    boolean measureAin;

    @Option(names = "--step-size", paramLabel = "NAME", defaultValue = "constant",
            description = "Staleness-adaptive step size for async and interval: constant, tail (TAIL-τ), inverse "
                    + "(1/(τ+1)), fleet (exp(−βτ)) or mindthestep. Default: ${DEFAULT-VALUE}.")
    String stepSize;

    @Option(names = "--tail-amplitude", paramLabel = "A", defaultValue = "1",
            description = "tail: factors span [1 − A, 1 + A], A in [0, 1]. Default: ${DEFAULT-VALUE}.")
    double tailAmplitude;

    @Option(names = "--tail-phi", paramLabel = "PHI", defaultValue = "identity",
            description = "tail: shaping function identity, smoothstep or step. Default: ${DEFAULT-VALUE}.")
    String tailPhi;

    @Option(names = "--tail-warmup", paramLabel = "N",
            description = "tail, mindthestep, --normalize: applied updates at factor 1 before the staleness "
                    + "distribution is estimated (from the last third of them). Default: 15 × workers.")
    Long tailWarmup;

    @Option(names = "--tail-refresh", paramLabel = "frozen|R",
            description = "Re-estimate the distribution every R applied updates over the last --tail-window, or "
                    + "keep the warm-up's estimate (frozen). Default: window / 10.")
    String tailRefresh;

    @Option(names = "--tail-window", paramLabel = "K",
            description = "Applied updates the estimate covers. Default: max(1000, 10 × workers).")
    Integer tailWindow;

    @Option(names = "--mts-momentum", paramLabel = "K",
            description = "mindthestep: desired momentum K in [0, 1). Default: 1 − 1/workers.")
    Double mtsMomentum;

    @Option(names = "--mts-lambda", paramLabel = "LAMBDA|workers|measured", defaultValue = "workers",
            description = "mindthestep: λ of the Poisson staleness model. Default: ${DEFAULT-VALUE}.")
    String mtsLambda;

    @Option(names = "--normalize",
            description = "Scale the step-size factors to mean 1 over the observed staleness (fair comparison).")
    boolean normalize;

    @Option(names = "--store", paramLabel = "NAME", defaultValue = "hogwild",
            description = "Shared parameters for async: hogwild, locked or leashed (CAS-published). "
                    + "Default: ${DEFAULT-VALUE}.")
    String store;

    @Option(names = "--persistence", paramLabel = "N|unbounded", defaultValue = "unbounded",
            description = "Failed CAS attempts before a leashed update is dropped. Default: ${DEFAULT-VALUE}.")
    String persistence;

    @Option(names = "--workers", paramLabel = "M", description = "Worker threads. Default: the number of cores.")
    Integer workers;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "16", description = "Minibatch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lr", paramLabel = "ETA", defaultValue = "0.01", description = "Learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--momentum", paramLabel = "MU", defaultValue = "0.5",
            description = "Momentum (DL4J Nesterovs; 0: plain SGD). Default: ${DEFAULT-VALUE}.")
    double momentum;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--epochs", paramLabel = "E",
            description = "Passes over the training set. Default: 3, or unbounded when another stop condition is given.")
    Integer epochs;

    @Option(names = "--max-steps", paramLabel = "N", description = "Stop after N accepted steps (exact).")
    Long maxSteps;

    @Option(names = "--time-limit", paramLabel = "SECONDS", description = "Stop after this much wall time.")
    Double timeLimit;

    @Option(names = "--target-accuracy", paramLabel = "ACC",
            description = "Stop when test accuracy reaches ACC in (0, 1], evaluated every --eval-every steps.")
    Double targetAccuracy;

    @Option(names = "--eval-every", paramLabel = "N",
            description = "Evaluate test accuracy every N accepted steps. Default: 250 with --target-accuracy, "
                    + "else only at the end.")
    Long evalEvery;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the report as JSON.")
    Path json;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write the loss and accuracy traces as CSV.")
    Path csv;

    @Option(names = "--quiet", description = "No progress display and no summary.")
    boolean quiet;

    /** The validated run these options describe. */
    public RunSpec toSpec() {
        return toSpec(false);
    }

    /** The run these options describe, validated for a real ({@code false}) or simulated run. */
    public RunSpec toSpec(boolean simulated) {
        RunSpec s = new RunSpec();
        s.dataset = dataset;
        s.dataDir = dataDir;
        s.model = model;
        s.algorithm = algorithm;
        s.store = store;
        if ("auto".equals(intervalY)) {
            s.intervalYAuto = true;
        } else {
            try {
                s.intervalY = Integer.parseInt(intervalY);
            } catch (NumberFormatException e) {
                throw new UsageException("--interval-y", intervalY, "an integer >= 1 or 'auto'");
            }
        }
        s.probeWindow = probeWindow;
        s.probeStep = probeStep;
        s.probeSteps = probeSteps;
        s.probeExec = probeExec;
        s.intervalPolicy = intervalPolicy;
        s.yDecayAmount = yDecayAmount;
        s.yDecayEvery = yDecayEvery;
        s.yMin = yMin;
        s.persistence = parsePersistence(persistence);
        s.parallelism = parallelism;
        s.elasticM0 = elasticM0;
        s.elasticIp = elasticIp;
        s.elasticDp = elasticDp;
        s.elasticWp = elasticWp;
        s.lossMonitor = lossMonitor;
        s.baselineWorkers = baselineWorkers;
        s.measureAin = measureAin;
        s.stepSize = stepSize;
        s.tailAmplitude = tailAmplitude;
        s.tailPhi = tailPhi;
        s.tailWarmup = tailWarmup;
        s.tailRefresh = parseRefresh(tailRefresh);
        s.tailWindow = tailWindow;
        s.mtsMomentum = mtsMomentum;
        s.mtsLambda = parseLambda(mtsLambda);
        s.normalize = normalize;
        if (workers != null) {
            s.workers = workers;
        }
        s.batch = batch;
        s.lr = lr;
        s.momentum = momentum;
        s.seed = seed;
        s.epochs = epochs;
        s.maxSteps = maxSteps;
        s.timeLimitSeconds = timeLimit;
        s.targetAccuracy = targetAccuracy;
        s.evalEvery = evalEvery;
        s.json = json;
        s.csv = csv;
        s.quiet = quiet;
        return s.validate(simulated);
    }

    static Long parseRefresh(String value) {
        if (value == null) {
            return null;
        }
        if ("frozen".equals(value)) {
            return 0L;
        }
        try {
            long r = Long.parseLong(value);
            if (r >= 1) {
                return r;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException("--tail-refresh", value, "'frozen' or an integer >= 1 (applied updates)");
    }

    static Double parseLambda(String value) {
        if ("workers".equals(value)) {
            return null;
        }
        if ("measured".equals(value)) {
            return Double.NaN;
        }
        try {
            double l = Double.parseDouble(value);
            if (l > 0 && Double.isFinite(l)) {
                return l;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException("--mts-lambda", value, "a positive number, 'workers' or 'measured'");
    }

    static int parsePersistence(String value) {
        if ("unbounded".equals(value)) {
            return Integer.MAX_VALUE;
        }
        try {
            int p = Integer.parseInt(value);
            if (p >= 0) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException("--persistence", value, "an integer >= 0 or 'unbounded'");
    }
}
