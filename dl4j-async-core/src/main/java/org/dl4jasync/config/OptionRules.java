package org.dl4jasync.config;

/** The rules between run options, checked when a {@link RunOptions} is frozen into a {@link RunConfig}. */
final class OptionRules {
    private OptionRules() {}

    /** Each option of the bounded-staleness family only with its algorithm, K within the workers. */
    private static void boundedStaleness(RunSettings s, int m) {
        only(s, "max_staleness", s.maxStaleness, Algorithm.BOUNDED);
        only(s, "ssp_slack", s.sspSlack, Algorithm.SSP);
        only(s, "kasync_k", s.kasyncAll ? "all" : s.kasyncK, Algorithm.KASYNC);
        only(s, "kasync_adaptive", s.kasyncAdaptive ? Boolean.TRUE : null, Algorithm.KASYNC);
        only(s, "abs_k0", s.absK0, Algorithm.ABS);
        only(s, "abs_c", s.absC, Algorithm.ABS);
        if (s.localSteps != null
                && s.localSteps > 1
                && s.algorithm != Algorithm.KASYNC
                && s.algorithm != Algorithm.ABS) {
            throw new InvalidOptionException(
                    "local_steps",
                    s.localSteps,
                    "1 unless {algorithm} is kasync or abs (it is " + Choice.key(s.algorithm) + ")");
        }
        if (s.customRoundPolicy != null && s.algorithm != Algorithm.KASYNC && s.algorithm != Algorithm.ABS) {
            throw new IllegalArgumentException(
                    "a custom round policy is for the kasync and abs algorithms; got " + Choice.key(s.algorithm));
        }
        if (s.kasyncK != null && s.kasyncK > m) {
            throw new InvalidOptionException(
                    "kasync_k", s.kasyncK, "an integer in [1, {workers} (" + m + ")] or 'all'");
        }
        if (s.absK0 != null && s.absK0 > m) {
            throw new InvalidOptionException("abs_k0", s.absK0, "an integer in [1, {workers} (" + m + ")]");
        }
    }

    private static void only(RunSettings s, String key, Object value, Algorithm algorithm) {
        if (value != null && s.algorithm != algorithm) {
            throw new InvalidOptionException(
                    key,
                    value,
                    "no value unless {algorithm} is " + Choice.key(algorithm) + " (it is " + Choice.key(s.algorithm)
                            + ")");
        }
    }

    /** Whether a controller of the run reads the loss: elastic parallelism, y-probing or the auto-y0 search. */
    static boolean readsLoss(RunSettings s) {
        return s.algorithm == Algorithm.ELASTIC
                || s.parallelism == Parallelism.ELASTIC
                || (s.algorithm == Algorithm.INTERVAL && (s.intervalPolicy == IntervalSchedule.PROBE || s.autoY0));
    }

    /** Interval-Asynchrony's options: only with {@code interval}. */
    private static final java.util.List<String> INTERVAL = java.util.List.of(
            "interval_policy",
            "interval_y",
            "y_decay_amount",
            "y_decay_every",
            "y_min",
            "probe_window",
            "probe_step",
            "probe_steps",
            "probe_exec");
    /** Elastic parallelism's options: only when the run is elastic. */
    private static final java.util.List<String> ELASTIC =
            java.util.List.of("elastic_ip", "elastic_dp", "elastic_wp", "elastic_search");

    /** Options given for an algorithm, store or controller the run does not use are refused, not ignored. */
    private static void onlyWhereTheyApply(RunSettings s, boolean elastic) {
        for (String key : s.given) {
            if (INTERVAL.contains(key) && s.algorithm != Algorithm.INTERVAL) {
                throw new InvalidOptionException(
                        key,
                        value(s, key),
                        "no value unless {algorithm} is interval (it is " + Choice.key(s.algorithm) + ")");
            }
            if (ELASTIC.contains(key) && !elastic) {
                throw new InvalidOptionException(
                        key,
                        value(s, key),
                        "no value unless the run is elastic ({algorithm} " + "elastic or {parallelism} elastic)");
            }
            if (key.equals("persistence") && s.store != org.dl4jasync.parameters.ParameterStore.Kind.LEASHED) {
                throw new InvalidOptionException(
                        key, s.persistence, "no value unless {store} is leashed (it is " + Choice.key(s.store) + ")");
            }
        }
    }

    /** The value of a given option, as the command line spells it. */
    private static Object value(RunSettings s, String key) {
        return switch (key) {
            case "interval_policy" -> Choice.key(s.intervalPolicy);
            case "interval_y" -> s.autoY0 ? "auto" : s.intervalY;
            case "y_decay_amount" -> s.yDecayAmount;
            case "y_decay_every" -> s.yDecayEvery;
            case "y_min" -> s.yMin;
            case "probe_window" -> s.probeWindow;
            case "probe_step" -> s.probeStep;
            case "probe_steps" -> s.probeSteps;
            case "probe_exec" -> s.probeExec;
            case "elastic_ip" -> s.elasticIp;
            case "elastic_dp" -> s.elasticDp;
            case "elastic_wp" -> s.elasticWp;
            case "elastic_search" -> Choice.key(s.elasticSearch);
            default -> "given";
        };
    }

    static void check(RunSettings s) {
        int m = s.algorithm == Algorithm.SEQUENTIAL ? 1 : s.workers;
        boolean elastic = s.algorithm == Algorithm.ELASTIC || s.parallelism == Parallelism.ELASTIC;
        onlyWhereTheyApply(s, elastic);
        if (s.intervalPolicy == IntervalSchedule.DECAY && !s.autoY0 && s.yMin > s.intervalY) {
            throw new InvalidOptionException("y_min", s.yMin, "at most {interval_y} (" + s.intervalY + ")");
        }
        if (elastic && !s.algorithm.asynchronous()) {
            throw new InvalidOptionException(
                    "parallelism",
                    "elastic",
                    "fixed with {algorithm} "
                            + Choice.key(s.algorithm)
                            + " (elastic parallelism controls the asynchronous algorithms: async, "
                            + "interval, elastic, bounded, ssp, kasync, abs)");
        }
        boundedStaleness(s, m);
        if (s.optimizerState == OptimizerState.SHARED
                && (s.algorithm == Algorithm.KASYNC || s.algorithm == Algorithm.ABS)) {
            throw new InvalidOptionException(
                    "optimizer_state",
                    "shared",
                    "per_worker with {algorithm} "
                            + Choice.key(s.algorithm)
                            + " (its workers form their updates, and take local steps, before a "
                            + "round adds them up)");
        }
        if (s.customElastic != null && (elastic || !s.algorithm.asynchronous())) {
            throw new IllegalArgumentException(
                    elastic
                            ? "give either a custom elastic controller or elastic parallelism, not both"
                            : "elastic parallelism controls the asynchronous algorithms' workers; got " + s.algorithm);
        }
        if (s.customElastic != null && s.customElastic.maxWorkers() != m) {
            throw new IllegalArgumentException("the elastic controller was built for m̂ = "
                    + s.customElastic.maxWorkers() + " workers but the run has " + m
                    + "; build it with the same count");
        }
        if (s.elasticM0 != null && s.elasticSearch == org.dl4jasync.parallelism.ElasticSearch.LOG) {
            throw new InvalidOptionException(
                    "elastic_m0",
                    s.elasticM0,
                    "only with {elastic_search} paper (the log " + "search starts at 1 worker)");
        }
        if (s.elasticM0 != null && s.elasticM0 > m) {
            throw new InvalidOptionException("elastic_m0", s.elasticM0, "an integer in [1, {workers} (" + m + ")]");
        }
        if (s.baselineWorkers != null && !elastic) {
            throw new InvalidOptionException(
                    "baseline_workers",
                    s.baselineWorkers,
                    "only with elastic parallelism ({algorithm} elastic or {parallelism} elastic)");
        }
        if (s.lossMonitor.needsHeldOut() && !readsLoss(s)) {
            throw new InvalidOptionException(
                    "loss_monitor",
                    Choice.key(s.lossMonitor),
                    "ema unless a controller "
                            + "reads the loss (elastic parallelism, {interval_policy} probe or {interval_y} auto)");
        }
        if (s.customDispatcher != null && s.algorithm != Algorithm.ASYNC) {
            throw new IllegalArgumentException(
                    "a custom dispatcher replaces the ASYNC algorithm's; got " + s.algorithm);
        }
        if ((s.checkpointEvery != null || s.checkpointEverySeconds != null) && s.checkpointDir == null) {
            throw new InvalidOptionException(
                    s.checkpointEvery != null ? "checkpoint_every" : "checkpoint_every_seconds",
                    s.checkpointEvery != null ? (Object) s.checkpointEvery : s.checkpointEverySeconds,
                    "no value without {checkpoint_dir}");
        }
        boolean adaptive = s.customStepSize != null || s.stepSize != StepSizeRule.CONSTANT || s.normalize;
        if (adaptive && !s.algorithm.asynchronous()) {
            String name = s.customStepSize != null ? s.customStepSize.name() : Choice.key(s.stepSize);
            throw new InvalidOptionException(
                    "step_size",
                    name + (s.normalize ? " (normalized)" : ""),
                    "constant with {algorithm} " + Choice.key(s.algorithm)
                            + " (updates have no staleness to adapt to; use async or interval)");
        }
    }
}
