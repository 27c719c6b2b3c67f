package org.dl4jasync.examples.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.examples.data.FashionMnist;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.metrics.AsynchronyNoise;
import org.dl4jasync.metrics.HeldOutLossMonitor;
import org.dl4jasync.metrics.LossMonitor;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.simulation.VirtualClock;
import org.dl4jasync.trainer.Algorithm;
import org.dl4jasync.trainer.Simulator;

/** Runs a simulation from the {@code simulate} options: the command and the benchmarks share it. */
public final class SimulationRunner {
    private SimulationRunner() {
    }

    /** The {@code train} options plus the simulation's own. */
    public static final class Settings {
        public final RunSpec spec;
        public final String stepTime;
        public final String applyTime;
        public final double pollDelay;
        public final Double virtualTimeLimit;

        public Settings(RunSpec spec, String stepTime, String applyTime, double pollDelay, Double virtualTimeLimit) {
            this.spec = spec;
            this.stepTime = stepTime;
            this.applyTime = applyTime;
            this.pollDelay = pollDelay;
            this.virtualTimeLimit = virtualTimeLimit;
        }

        void validate() {
            if (!(pollDelay > 0)) {
                throw new UsageException("--poll-delay", String.valueOf(pollDelay), "a positive number of seconds");
            }
            if (virtualTimeLimit != null && !(virtualTimeLimit > 0)) {
                throw new UsageException("--virtual-time-limit", String.valueOf(virtualTimeLimit),
                        "a positive number of seconds");
            }
            if ("none".equals(spec.model) && spec.measureAin) {
                throw new UsageException("--measure-ain needs a model (lenet or mlp): --model none computes no updates");
            }
            if ("none".equals(spec.model) && "eval".equals(spec.lossMonitor)) {
                throw new UsageException("--loss-monitor", "eval", "ema with --model none (no model to evaluate)");
            }
            if ("none".equals(spec.model) && (spec.targetAccuracy != null || spec.evalEvery != null)) {
                throw new UsageException("--model", "none", "lenet or mlp when --target-accuracy or --eval-every is given");
            }
            int m = spec.effectiveWorkers();
            try {
                StepTimes.parse(stepTime, m);
                if (applyTime != null) {
                    StepTimes.parse(applyTime, m);
                }
            } catch (IllegalArgumentException e) {
                throw new UsageException((e.getMessage().contains("'" + stepTime + "'") ? "--step-time: " : "--apply-time: ")
                        + e.getMessage());
            }
        }

        /** The report's config: every train option plus the simulation's. */
        Map<String, Object> toConfig() {
            Map<String, Object> c = new LinkedHashMap<>(spec.toConfig());
            int epochs = spec.effectiveEpochs(virtualTimeLimit != null);
            c.put("epochs", epochs == Integer.MAX_VALUE ? null : epochs);
            c.put("step_time", stepTime);
            c.put("apply_time", applyTime);
            c.put("poll_delay", pollDelay);
            c.put("virtual_time_limit", virtualTimeLimit);
            return c;
        }
    }

    public static TrainingReport run(Settings s) throws IOException {
        RunSpec spec = s.spec;
        int m = spec.effectiveWorkers();
        int epochs = spec.effectiveEpochs(s.virtualTimeLimit != null);
        Simulator.Builder b = new Simulator.Builder(m, StepTimes.parse(s.stepTime, m))
                .algorithm(runAlgorithm(spec))
                .store(ParameterStore.Kind.valueOf(spec.store.toUpperCase(Locale.ROOT)))
                .persistence(spec.persistence)
                .stepSize(StepSizeSetup.create(spec, m))
                .seed(spec.seed)
                .pollDelay(s.pollDelay);
        if (s.applyTime != null) {
            b.applyTime(StepTimes.parse(s.applyTime, m));
        }
        VirtualClock clock = new VirtualClock();
        b.clock(clock);
        LossMonitor heldOut = null;
        Simulator[] simulator = new Simulator[1]; // the held-out monitor reads the running simulation's parameters
        String source;
        if ("none".equals(spec.model)) {
            int trainSize = "embedded".equals(spec.dataset) ? FashionMnist.EMBEDDED_TRAIN : FashionMnist.FULL_TRAIN;
            long perEpoch = (trainSize + spec.batch - 1) / spec.batch;
            if (epochs != Integer.MAX_VALUE) {
                b.epochs(epochs, perEpoch);
            }
            source = "no model (scheduling only); epochs of " + perEpoch + " tickets";
        } else {
            TrainTest data = ExperimentRunner.loadData(spec);
            MultiLayerNetwork net = ExperimentRunner.buildModel(spec, data);
            if ("eval".equals(spec.lossMonitor)) {
                heldOut = new HeldOutLossMonitor(net.getLayerWiseConfigurations(), data.lastTraining(RunSpec.HELD_OUT),
                        p -> simulator[0].copyLatestParams(p));
                data = data.withoutLastTraining(RunSpec.HELD_OUT);
            }
            b.network(net, data.train.batches(spec.batch))
                    .evaluation(ExperimentRunner.testIterator(data), spec.effectiveEvalEvery());
            if (epochs != Integer.MAX_VALUE) {
                b.epochs(epochs);
            }
            if (spec.targetAccuracy != null) {
                b.targetAccuracy(spec.targetAccuracy);
            }
            source = data.source;
        }
        Controls.apply(spec, b, clock, heldOut);
        if (spec.measureAin) {
            b.asynchronyNoise(new AsynchronyNoise(clock, ExperimentRunner.AIN_EVERY, 4L * m + 16));
        }
        if (spec.maxSteps != null) {
            b.maxSteps(spec.maxSteps);
        }
        if (s.virtualTimeLimit != null) {
            b.virtualTimeLimit(s.virtualTimeLimit);
        }
        if (spec.timeLimitSeconds != null) {
            b.wallTimeLimit(spec.timeLimitSeconds);
        }
        simulator[0] = ExperimentRunner.usage(b::build);
        TrainingReport report = simulator[0].run();
        if (heldOut != null) {
            report.config.put("held_out_examples", RunSpec.HELD_OUT);
        }
        Map<String, Object> extra = report.config;
        report.config = s.toConfig();
        report.config.putAll(extra);
        report.config.put("data_source", source);
        return report;
    }

    /** The core algorithm of a run: interval and elastic are async with a dispatcher or a controller. */
    static Algorithm runAlgorithm(RunSpec spec) {
        boolean controlled = "interval".equals(spec.algorithm) || spec.elastic();
        return controlled ? Algorithm.ASYNC : Algorithm.valueOf(spec.algorithm.toUpperCase(Locale.ROOT));
    }
}
