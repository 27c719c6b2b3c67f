package org.dl4jasync.examples.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.trainer.Simulator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Simulates an {@link Experiment} as a {@link RunConfig} says, in virtual time: the {@code simulate} command and the
 * benchmarks share it. Like {@link ExperimentRunner}, it adds only the data and the experiment's settings.
 */
public final class SimulationRunner {
    private SimulationRunner() {}

    /**
     * The simulation's own settings ({@code --step-time}, {@code --apply-time}, {@code --poll-delay},
     * {@code --gradient-threads}; null gradientThreads: the simulator's default).
     */
    public record Timing(String stepTime, String applyTime, double pollDelay, Integer gradientThreads) {
        public static final double DEFAULT_POLL_DELAY = 1e-4;

        public Timing {
            if (!(pollDelay > 0)) {
                throw new UsageException("--poll-delay", String.valueOf(pollDelay), "a positive number of seconds");
            }
            if (gradientThreads != null && gradientThreads < 0) {
                throw new UsageException("--gradient-threads", String.valueOf(gradientThreads), "an integer >= 0");
            }
        }

        /** Step times drawn from {@code stepTime}, instantaneous applies. */
        public static Timing of(String stepTime) {
            return new Timing(stepTime, null, DEFAULT_POLL_DELAY, null);
        }
    }

    public static TrainingReport run(Experiment experiment, RunConfig config, Timing timing) throws IOException {
        experiment.forSimulation();
        int m = config.workers();
        Simulator.Builder b = ExperimentRunner.usage(() -> {
            Simulator.Builder s = new Simulator.Builder(m, StepTimes.parse(timing.stepTime(), m))
                    .config(config)
                    .pollDelay(timing.pollDelay());
            if (timing.applyTime() != null) {
                s.applyTime(StepTimes.parse(timing.applyTime(), m));
            }
            if (timing.gradientThreads() != null) {
                s.gradientThreads(timing.gradientThreads());
            }
            return s;
        });
        String source;
        if (!experiment.hasModel()) {
            long perEpoch = (experiment.trainSize() + experiment.batch() - 1) / experiment.batch();
            if (config.epochs().isPresent()) {
                b.epochs(config.epochs().getAsInt(), perEpoch);
            }
            source = "no model (scheduling only); epochs of " + perEpoch + " tickets";
        } else {
            TrainTest data = experiment.loadData();
            Model net = experiment.buildModel(data, config.seed());
            if (config.lossMonitor().needsHeldOut()) {
                b.heldOut(data.lastTraining(ExperimentRunner.HELD_OUT));
                data = data.withoutLastTraining(ExperimentRunner.HELD_OUT);
            }
            List<DataSet> batches = new ArrayList<>();
            DataSetIterator train = experiment.trainIterator(data, config.seed());
            while (train.hasNext()) {
                batches.add(train.next());
            }
            b.network(net, batches).evaluation(Experiment.testIterator(data));
            source = data.source;
        }
        TrainingReport report = ExperimentRunner.usage(b::build).run();
        return ExperimentRunner.withExperiment(report, experiment, source);
    }
}
