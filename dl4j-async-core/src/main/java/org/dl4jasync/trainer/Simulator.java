package org.dl4jasync.trainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Model;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.config.RunOptions;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.model.TrainableModel;
import org.dl4jasync.simulation.StepTimeDistribution;
import org.dl4jasync.simulation.VirtualClock;
import org.dl4jasync.spec.Choice;
import org.dl4jasync.spec.InvalidOptionException;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The same run as {@link AsyncTrainer}'s, with m <em>virtual</em> workers in deterministic virtual time on the calling
 * thread: hundreds or thousands of workers on a 2-core machine, reproducible for a seed. Every algorithm, store,
 * dispatcher, step-size policy, controller and stop condition is the trainer's (one step protocol, one report);
 * only the clock, waiting and the modelled apply time differ. Step times come from a {@link StepTimeDistribution};
 * with {@link Builder#network} the workers compute real gradients on their own replicas, without it only the
 * scheduling is simulated.
 *
 * <pre>{@code
 * TrainingReport r = new Simulator.Builder(64, StepTimes.parse("exp:0.01", 64))
 *         .network(net, batches).epochs(2).evaluation(testIterator, 250).build().run();
 * }</pre>
 */
public final class Simulator {
    private final RunConfig config;
    /** The network trained, or null (scheduling only). */
    private final Model net;

    private final TrainableModel model;
    private final List<MultiDataSet> batches;
    private final boolean shuffle;
    private final int epochs;
    private final long ticketsPerEpoch;
    private final StepTimeDistribution stepTime;
    private final StepTimeDistribution applyTime;
    private final double pollDelay;
    private final VirtualClock clock;
    private final int gradientThreads;
    /** Each worker's optimizer state between runs (per-worker mode). */
    private final OptimizerStates optimizerStates = new OptimizerStates();

    private Simulator(Builder b) {
        this.config = b.config;
        this.net = b.net;
        this.model = b.net == null ? TrainableModel.none() : b.model;
        this.batches = b.batches;
        this.shuffle = b.shuffle;
        this.epochs = config.epochs(Integer.MAX_VALUE);
        this.ticketsPerEpoch = b.ticketsPerEpoch;
        this.stepTime = b.stepTime;
        this.applyTime = b.applyTime;
        this.pollDelay = b.pollDelay;
        this.clock = b.clock == null ? new VirtualClock() : b.clock;
        this.gradientThreads = b.gradientThreads != null
                ? b.gradientThreads
                : b.net == null ? 0 : Runtime.getRuntime().availableProcessors();
    }

    /** Runs the simulation to its first stop condition and returns the report (times in virtual seconds). */
    public TrainingReport run() {
        try (TrainingClaim claim = TrainingClaim.of(net)) {
            return runAlone();
        }
    }

    private TrainingReport runAlone() {
        BatchSource source = batches != null
                ? new InMemoryBatchSource(batches, epochs, config.seed(), shuffle)
                : new TicketSource(epochs, ticketsPerEpoch);
        clock.set(0);
        VirtualTimeEngine engine = new VirtualTimeEngine(
                config.workers(),
                clock,
                stepTime,
                applyTime,
                pollDelay,
                config.virtualTimeLimit().orElse(Double.POSITIVE_INFINITY),
                config.timeLimit().map(d -> d.toNanos() / 1e9).orElse(Double.POSITIVE_INFINITY),
                gradientThreads);
        Run run = Run.simulated(config, model, model.listeners(), source, clock, optimizerStates, engine::interrupt);
        int savedThreads = Nd4j.getEnvironment().maxThreads();
        if (gradientThreads > 1) {
            Nd4j.getEnvironment().setMaxThreads(1); // one op thread per gradient thread, as one per worker on threads
        }
        try {
            TrainingReport r = engine.execute(run);
            Map<String, Object> c = new LinkedHashMap<>(r.config());
            c.put("step_time", stepTime.toString());
            c.put("apply_time", applyTime == null ? null : applyTime.toString());
            c.put("poll_delay", pollDelay);
            c.put("gradient_threads", gradientThreads);
            return r.withConfig(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("simulation interrupted", e);
        } finally {
            Nd4j.getEnvironment().setMaxThreads(savedThreads);
            source.close();
        }
    }

    /** Tickets without data (a simulation of scheduling only): every ticket of an epoch has the same empty batch. */
    private static final class TicketSource implements BatchSource {
        private static final MultiDataSet NOTHING = new DataSet(Nd4j.zeros(1, 1), Nd4j.zeros(1, 1)).toMultiDataSet();
        private final int epochs;
        private final long perEpoch;

        TicketSource(int epochs, long perEpoch) {
            this.epochs = epochs;
            this.perEpoch = perEpoch;
        }

        @Override
        public MultiDataSet batch(long ticket) {
            return epochs != Integer.MAX_VALUE && ticket / perEpoch >= epochs ? null : NOTHING;
        }

        @Override
        public void done(long ticket) {}

        @Override
        public long epochEnd(int epoch) {
            return perEpoch == Long.MAX_VALUE ? UNKNOWN : (epoch + 1L) * perEpoch;
        }

        @Override
        public int epochs() {
            return epochs;
        }

        @Override
        public void close() {}
    }

    /** {@code new Simulator.Builder(workers, stepTime).maxSteps(n).build()}. */
    public static final class Builder extends RunOptions<Builder> {
        private final StepTimeDistribution stepTime;
        private Model net;
        private TrainableModel model;
        private List<MultiDataSet> batches;
        private boolean shuffle = true;
        private RunConfig config;
        private long ticketsPerEpoch = Long.MAX_VALUE;
        private StepTimeDistribution applyTime;
        private double pollDelay = 1e-4;
        private VirtualClock clock;
        private Integer gradientThreads;

        public Builder(int workers, StepTimeDistribution stepTime) {
            workers(workers);
            this.stepTime = Objects.requireNonNull(stepTime, "stepTime");
        }

        /**
         * Real gradients: {@code network} (an initialised {@code MultiLayerNetwork} or {@code ComputationGraph};
         * trained in place) on {@code batches}, each worker on a replica of its own. Without a network only the
         * scheduling is simulated.
         */
        public Builder network(Model network, List<DataSet> trainBatches) {
            if (trainBatches == null || trainBatches.isEmpty()) {
                throw new IllegalArgumentException("the training batches are empty");
            }
            List<MultiDataSet> multi = new ArrayList<>(trainBatches.size());
            for (DataSet ds : trainBatches) {
                multi.add(ds.toMultiDataSet());
            }
            return networkOnMultiData(network, multi);
        }

        /** As {@link #network}, for a graph with several inputs or outputs: one array per input and output. */
        public Builder networkOnMultiData(Model network, List<? extends MultiDataSet> trainBatches) {
            if (trainBatches == null || trainBatches.isEmpty()) {
                throw new IllegalArgumentException("the training batches are empty");
            }
            this.model = TrainableModel.of(Objects.requireNonNull(network, "network"));
            this.net = network;
            this.batches = List.copyOf(trainBatches);
            return this;
        }

        /** Shuffle batch order per epoch (default true). */
        public Builder shuffle(boolean s) {
            this.shuffle = s;
            return this;
        }

        /** {@code epochs} passes of {@code batchesPerEpoch} tickets each (the epoch length of a run without a network). */
        public Builder epochs(int e, long batchesPerEpoch) {
            if (e < 1 || batchesPerEpoch < 1) {
                throw new IllegalArgumentException(
                        "epochs and batches per epoch must be >= 1, got " + e + " and " + batchesPerEpoch);
            }
            this.ticketsPerEpoch = batchesPerEpoch;
            epochs(e);
            return this;
        }

        /** Virtual duration of an apply (null: instantaneous). Models the store's contention (CAS, lock). */
        public Builder applyTime(StepTimeDistribution d) {
            this.applyTime = d;
            return this;
        }

        /** Virtual time a waiting worker takes to try again after it is woken (> 0). */
        public Builder pollDelay(double seconds) {
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("poll delay must be > 0 seconds, got " + seconds);
            }
            this.pollDelay = seconds;
            return this;
        }

        /**
         * Helper threads that compute the workers' gradients ahead of their finish events, ≥ 0 (0: on the calling
         * thread when each step finishes). The result is the same for every value. Default: the cores with a
         * network, 0 without.
         */
        public Builder gradientThreads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("gradientThreads must be >= 0, got " + threads);
            }
            this.gradientThreads = threads;
            return this;
        }

        /** The clock the simulator keeps at the current virtual time (for controllers that measure rates). */
        public Builder clock(VirtualClock c) {
            this.clock = c;
            return this;
        }

        public Simulator build() {
            config = freeze();
            if (config.checkpointDir().isPresent() || config.resumeFrom().isPresent()) {
                throw new InvalidOptionException(
                        config.checkpointDir().isPresent() ? "checkpoint_dir" : "resume",
                        config.checkpointDir()
                                .orElseGet(() -> config.resumeFrom().get())
                                .toString(),
                        "none in a simulation (checkpoints are for training on threads; a simulation is "
                                + "reproduced from its seed)");
            }
            if (!config.store().inProcess()) {
                throw new InvalidOptionException(
                        "store",
                        config.store().key(),
                        "an in-process store (hogwild, locked or leashed) in a simulation: virtual time models "
                                + "the in-process stores' contention, not a network's");
            }
            if (net == null && config.measuresAsynchronyNoise()) {
                throw new InvalidOptionException(
                        "measure_ain", true, "false without a network (no updates are " + "computed)");
            }
            if (net == null && config.lossMonitor().needsHeldOut()) {
                throw new InvalidOptionException(
                        "loss_monitor",
                        Choice.key(config.lossMonitor()),
                        "ema without a network (no model to " + "evaluate)");
            }
            config.checkRunnable();
            if (net != null) {
                WorkerLimits.checkSimulation(config, model);
            }
            if (config.evaluationData().isPresent() && net == null) {
                throw new IllegalArgumentException("evaluation needs a network: call network(net, batches)");
            }
            if (net != null && ticketsPerEpoch != Long.MAX_VALUE && ticketsPerEpoch != batches.size()) {
                throw new IllegalArgumentException("with a network an epoch is its " + batches.size() + " batches, got "
                        + ticketsPerEpoch + " batches per epoch");
            }
            if (!config.hasStopCondition()) {
                throw new IllegalArgumentException("a simulation needs a stop condition: max steps, epochs, a virtual "
                        + "time limit or a time limit");
            }
            if (net == null && config.epochs().isPresent() && ticketsPerEpoch == Long.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "without a network, epochs need their length: epochs(e, " + "batchesPerEpoch)");
            }
            return new Simulator(this);
        }
    }
}
