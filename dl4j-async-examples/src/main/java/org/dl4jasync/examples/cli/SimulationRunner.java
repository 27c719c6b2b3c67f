package org.dl4jasync.examples.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.examples.data.FashionMnist;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.metrics.AsynchronyNoise;
import org.dl4jasync.metrics.HeldOutLossMonitor;
import org.dl4jasync.metrics.LossMonitor;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.simulation.NetworkModel;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.simulation.VirtualClock;
import org.dl4jasync.simulation.VirtualExecutor;
import org.dl4jasync.trainer.InMemoryBatchSource;

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
        int epochs = spec.effectiveEpochs();
        VirtualExecutor.Builder b = new VirtualExecutor.Builder(m, StepTimes.parse(s.stepTime, m))
                .store(ParameterStore.Kind.valueOf(spec.store.toUpperCase(java.util.Locale.ROOT)))
                .persistence(spec.persistence)
                .stepSize(StepSizeSetup.create(spec, m))
                .seed(spec.seed)
                .pollDelay(s.pollDelay);
        if (s.applyTime != null) {
            b.applyTime(StepTimes.parse(s.applyTime, m));
        }
        VirtualClock clock = new VirtualClock();
        b.clock(clock);
        NetworkModel model = null;
        NetworkModel[] modelRef = null;
        LossMonitor heldOut = null;
        TrainTest data = null;
        if (!"none".equals(spec.model)) {
            data = ExperimentRunner.loadData(spec);
            if ("eval".equals(spec.lossMonitor)) {
                NetworkModel[] ref = new NetworkModel[1];
                heldOut = new HeldOutLossMonitor(ExperimentRunner.buildModel(spec, data).getLayerWiseConfigurations(),
                        data.lastTraining(RunSpec.HELD_OUT), p -> ref[0].copyParams(p));
                data = data.withoutLastTraining(RunSpec.HELD_OUT);
                modelRef = ref;
            }
        }
        Controls controls = new Controls(spec, clock, heldOut);
        if (controls.dispatcherFactory() != null) {
            b.dispatcher(controls.dispatcherFactory());
        }
        controls.stepListeners().forEach(b::stepListener);
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
        String source;
        if ("none".equals(spec.model)) {
            int trainSize = "embedded".equals(spec.dataset) ? FashionMnist.EMBEDDED_TRAIN : FashionMnist.FULL_TRAIN;
            long perEpoch = (trainSize + spec.batch - 1) / spec.batch;
            if (epochs != Integer.MAX_VALUE) {
                b.epochs(epochs, perEpoch);
            }
            source = "no model (scheduling only); epochs of " + perEpoch + " tickets";
        } else {
            MultiLayerNetwork net = ExperimentRunner.buildModel(spec, data);
            java.util.List<org.nd4j.linalg.dataset.DataSet> batches = data.train.batches(spec.batch);
            InMemoryBatchSource batchSource = new InMemoryBatchSource(batches, epochs, spec.seed, true);
            model = new NetworkModel(net, batchSource, ExperimentRunner.testIterator(data), m);
            if (modelRef != null) {
                modelRef[0] = model;
            }
            b.model(model).evaluateEvery(spec.effectiveEvalEvery());
            if (epochs != Integer.MAX_VALUE) {
                b.epochs(epochs, batches.size());
            }
            if (spec.targetAccuracy != null) {
                b.targetAccuracy(spec.targetAccuracy);
            }
            source = data.source;
        }
        TrainingReport report = b.build().run();
        controls.fill(report, report.virtualSeconds == null ? 0 : report.virtualSeconds);
        if (heldOut != null) {
            report.config.put("held_out_examples", RunSpec.HELD_OUT);
        }
        Map<String, Object> extra = report.config;
        report.config = s.toConfig();
        report.config.putAll(extra);
        report.config.put("data_source", source);
        return report;
    }
}
