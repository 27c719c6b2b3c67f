package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jasync.config.OptimizerState;
import org.dl4jasync.dispatch.ActiveWorkers;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The optimizer state lives as long as the model: kept across fits, written into the network's updater, started from
 * it; only applied steps advance it; with one worker every mode is {@code net.fit}, bit for bit.
 */
class OptimizerStateTest {

    static final List<DataSet> DATA = TinyNets.blobs(12, 8, 3);

    static MultiLayerNetwork mln(IUpdater updater, double l2) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(updater);
        if (l2 > 0) {
            b.l2(l2);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(b.list()
                .layer(new DenseLayer.Builder()
                        .nIn(TinyNets.IN)
                        .nOut(8)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(8)
                        .nOut(TinyNets.CLASSES)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
        net.init();
        return net;
    }

    static ComputationGraph graph(IUpdater updater) {
        return org.dl4jasync.testing.TinyGraphs.sameAsTinyNet(7, updater);
    }

    static Stream<IUpdater> updaters() {
        return Stream.of(
                new Sgd(0.1),
                new Nesterovs(0.1, 0.9),
                new Adam(0.01),
                new Nadam(0.01),
                new org.dl4jasync.optimizer.HeavyBall(0.1, 0.9));
    }

    static Stream<Arguments> everyUpdaterModelAndMode() {
        List<Arguments> all = new ArrayList<>();
        updaters().forEach(u -> {
            for (boolean graph : new boolean[] {false, true}) {
                for (OptimizerState mode : OptimizerState.values()) {
                    all.add(Arguments.of(u, graph, mode));
                }
            }
        });
        return all.stream();
    }

    private static Model model(IUpdater u, boolean graph) {
        return graph ? graph(u.clone()) : mln(u.clone(), 0);
    }

    private static void netFit(Model m) {
        if (m instanceof ComputationGraph) {
            ((ComputationGraph) m).fit(TinyNets.iterator(DATA));
        } else {
            ((MultiLayerNetwork) m).fit(TinyNets.iterator(DATA));
        }
    }

    private static INDArray state(Model m) {
        return m instanceof ComputationGraph
                ? ((ComputationGraph) m).getUpdater().getStateViewArray()
                : ((MultiLayerNetwork) m).getUpdater().getStateViewArray();
    }

    static void assertSame(Model actual, Model expected, String what) {
        assertThat(actual.params()).as(what + ": parameters").isEqualTo(expected.params());
        assertThat(equalExactly(actual.params(), expected.params()))
                .as(what + ": parameters, bit for bit")
                .isTrue();
        INDArray a = state(actual);
        INDArray e = state(expected);
        if (e == null) {
            assertThat(a).as(what + ": updater state").isNull();
        } else {
            assertThat(equalExactly(a, e))
                    .as(what + ": updater state, bit for bit")
                    .isTrue();
        }
    }

    static boolean equalExactly(INDArray a, INDArray b) {
        return java.util.Arrays.equals(
                a.reshape(a.length()).toDoubleVector(), b.reshape(b.length()).toDoubleVector());
    }

    @ParameterizedTest(name = "{0} graph={1} {2}")
    @MethodSource("everyUpdaterModelAndMode")
    void oneWorkerFitCalledKTimesIsNetFitCalledKTimes(IUpdater u, boolean graph, OptimizerState mode) {
        Model expected = model(u, graph);
        Model actual = model(u, graph);
        AsyncTrainer trainer = new AsyncTrainer.Builder(actual)
                .workers(1)
                .shuffle(false)
                .optimizerState(mode)
                .build();
        for (int k = 0; k < 3; k++) {
            netFit(expected);
            trainer.fit(TinyNets.iterator(DATA));
            assertSame(actual, expected, "after fit " + (k + 1));
        }
        if (state(expected) != null) {
            assertThat(state(actual).amaxNumber().doubleValue())
                    .as("a state, not zeros")
                    .isPositive();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storesAndModes")
    void everyStoreWithOneWorkerIsNetFit(ParameterStore.Kind store, OptimizerState mode) {
        MultiLayerNetwork expected = mln(new Adam(0.01), 1e-3); // L2: the updater reads the parameters too
        MultiLayerNetwork actual = mln(new Adam(0.01), 1e-3);
        AsyncTrainer trainer = new AsyncTrainer.Builder(actual)
                .workers(1)
                .shuffle(false)
                .store(store)
                .optimizerState(mode)
                .build();
        for (int k = 0; k < 2; k++) {
            expected.fit(TinyNets.iterator(DATA));
            trainer.fit(TinyNets.iterator(DATA));
        }
        assertSame(actual, expected, store + " " + mode);
    }

    static Stream<Arguments> storesAndModes() {
        List<Arguments> all = new ArrayList<>();
        for (ParameterStore.Kind k : ParameterStore.Kind.values()) {
            for (OptimizerState mode : OptimizerState.values()) {
                all.add(Arguments.of(k, mode));
            }
        }
        return all.stream();
    }

    @Test
    void aRestoredNetworkContinuesWhereItsSavedStateStood() throws Exception {
        MultiLayerNetwork expected = mln(new Nadam(0.01), 0);
        MultiLayerNetwork first = mln(new Nadam(0.01), 0);
        expected.fit(TinyNets.iterator(DATA));
        first.fit(TinyNets.iterator(DATA));
        MultiLayerNetwork restored = roundTrip(first);
        AsyncTrainer trainer =
                new AsyncTrainer.Builder(restored).workers(1).shuffle(false).build();
        expected.fit(TinyNets.iterator(DATA));
        trainer.fit(TinyNets.iterator(DATA));
        assertSame(restored, expected, "a trainer on a restored network");
        // and the other way: what the trainer leaves is saved with the model and net.fit goes on from it
        MultiLayerNetwork again = roundTrip(restored);
        expected.fit(TinyNets.iterator(DATA));
        again.fit(TinyNets.iterator(DATA));
        assertSame(again, expected, "net.fit on the trainer's saved network");
    }

    private static MultiLayerNetwork roundTrip(MultiLayerNetwork net) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, out, true);
        return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(out.toByteArray()), true);
    }

    @Test
    void aNetworkChangedBetweenFitsIsWhereTheWorkersStartAgain() {
        MultiLayerNetwork expected = mln(new Adam(0.01), 0);
        MultiLayerNetwork actual = mln(new Adam(0.01), 0);
        AsyncTrainer trainer =
                new AsyncTrainer.Builder(actual).workers(1).shuffle(false).build();
        expected.fit(TinyNets.iterator(DATA));
        trainer.fit(TinyNets.iterator(DATA));
        expected.fit(TinyNets.iterator(DATA));
        actual.fit(TinyNets.iterator(DATA)); // DL4J's own fit in between: the trainer must not go back to its copy
        expected.fit(TinyNets.iterator(DATA));
        trainer.fit(TinyNets.iterator(DATA));
        assertSame(actual, expected, "after net.fit between two trainer fits");
    }

    /**
     * Two workers: after fit the network's updater holds their mean (the final checkpoint holds each worker's state
     * and, as DL4J's entry, that mean); a second fit continues from each worker's own state, not from the mean (every
     * step of it rejected: each worker's state stays exactly its own).
     */
    @Test
    void severalWorkersLeaveTheirMeanInTheNetworkAndContinueFromTheirOwn(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        MultiLayerNetwork net = mln(new Nesterovs(0.05, 0.9), 0);
        java.util.concurrent.atomic.AtomicBoolean rejectAll = new java.util.concurrent.atomic.AtomicBoolean();
        AsyncTrainer trainer = new AsyncTrainer.Builder(net)
                .workers(2)
                .seed(3)
                .checkpointDir(dir)
                .checkpointEvery(1_000_000)
                .dispatcher(m -> new EvenTickets(m) {
                    @Override
                    public boolean finishStep(int worker, long ticket) {
                        return !rejectAll.get();
                    }
                })
                .build();
        trainer.fit(TinyNets.iterator(DATA), 2);
        org.dl4jasync.checkpoint.CheckpointFile.Contents first = newest(dir);
        INDArray w0 = first.updaterStates[0];
        INDArray w1 = first.updaterStates[1];
        assertThat(equalExactly(w0, w1)).as("two workers, two states").isFalse();
        INDArray mean = w0.add(w1).divi(2);
        assertThat(equalExactly(state(net), mean))
                .as("the network holds the workers' mean")
                .isTrue();
        assertThat(equalExactly(first.modelUpdaterState, mean))
                .as("ModelSerializer's entry: the mean")
                .isTrue();

        rejectAll.set(true);
        org.dl4jasync.metrics.TrainingReport r = trainer.fit(TinyNets.iterator(DATA));
        assertThat(r.stepsAccepted()).isZero();
        org.dl4jasync.checkpoint.CheckpointFile.Contents second = newest(dir);
        assertThat(equalExactly(second.updaterStates[0], w0))
                .as("worker 0 went on from its own state")
                .isTrue();
        assertThat(equalExactly(second.updaterStates[1], w1))
                .as("worker 1 went on from its own state")
                .isTrue();
        assertThat(equalExactly(state(net), mean)).isTrue();
    }

    private static org.dl4jasync.checkpoint.CheckpointFile.Contents newest(java.nio.file.Path dir) {
        return org.dl4jasync.checkpoint.CheckpointDirectory.newest(dir, w -> {}).orElseThrow().contents;
    }

    /** A rule with factor 0.5 for every τ (not the constant rule, so the trainer treats it as a step-size rule). */
    static final class Half implements org.dl4jasync.stepsize.StepSizePolicy {
        @Override
        public double factor(long tau) {
            return 0.5;
        }

        @Override
        public String name() {
            return "half";
        }
    }

    /**
     * Heavy-ball with a step-size rule scales the gradient term only, as the authors' code: factor 0.5 on η = 0.1 is
     * heavy-ball with η = 0.05 under {@code net.fit}, bit for bit (0.5 is exact), in both state modes; scaling the
     * whole update instead would also halve the momentum term.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(OptimizerState.class)
    void aStepSizeFactorScalesTheHeavyBallGradientTermOnly(OptimizerState mode) {
        MultiLayerNetwork expected = mln(new org.dl4jasync.optimizer.HeavyBall(0.05, 0.9), 0);
        MultiLayerNetwork actual = mln(new org.dl4jasync.optimizer.HeavyBall(0.1, 0.9), 0);
        AsyncTrainer trainer = new AsyncTrainer.Builder(actual)
                .workers(1)
                .shuffle(false)
                .optimizerState(mode)
                .stepSize(new Half())
                .build();
        for (int k = 0; k < 2; k++) {
            expected.fit(TinyNets.iterator(DATA));
            org.dl4jasync.metrics.TrainingReport r = trainer.fit(TinyNets.iterator(DATA));
            assertThat(r.stepScale().mean()).as("the recorded factor").isEqualTo(0.5);
        }
        assertSame(actual, expected, "factor on the gradient term, " + mode);
    }

    /** Several workers under a shared state on every store, on threads and in virtual time (with apply contention). */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(ParameterStore.Kind.class)
    void aSharedStateTrainsWithSeveralWorkersOnEveryStore(ParameterStore.Kind kind) {
        MultiLayerNetwork net = mln(new Adam(0.01), 1e-4);
        double before = net.score(DATA.get(0));
        org.dl4jasync.metrics.TrainingReport r = new AsyncTrainer.Builder(net)
                .workers(3)
                .seed(2)
                .store(kind)
                .optimizerState(OptimizerState.SHARED)
                .build()
                .fit(TinyNets.iterator(DATA), 5);
        assertThat(r.stepsAccepted()).isEqualTo(5L * DATA.size());
        assertThat(net.score(DATA.get(0))).isLessThan(before);
        assertThat(state(net).amaxNumber().doubleValue()).isPositive();

        MultiLayerNetwork sim = mln(new Adam(0.01), 1e-4);
        org.dl4jasync.metrics.TrainingReport s = new Simulator.Builder(4, StepTimes.parse("exp:1", 4))
                .applyTime(StepTimes.parse("constant:0.3", 4))
                .store(kind)
                .optimizerState(OptimizerState.SHARED)
                .network(sim, DATA)
                .epochs(5)
                .seed(2)
                .build()
                .run();
        assertThat(s.stepsAccepted()).isPositive();
        assertThat(sim.score(DATA.get(0))).isLessThan(before);
        assertThat(state(sim).amaxNumber().doubleValue()).isPositive();
    }

    /**
     * The CAS-published store under contention with the read kept open until the update is formed: 8 workers on 2
     * cores, persistence 0 (drops), a staleness bound 1 (refusals at apply time), L2 (the updater reads the pinned
     * parameters): the 3m + 1 snapshot pool is never exhausted, in both modes, and the run applies updates.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(OptimizerState.class)
    void theCasPublishedStoreKeepsItsPoolBoundWithTheReadHeldUntilFormed(OptimizerState mode) {
        MultiLayerNetwork net = mln(new Adam(0.01), 1e-4);
        org.dl4jasync.metrics.TrainingReport r = new AsyncTrainer.Builder(net)
                .workers(8)
                .seed(4)
                .store(ParameterStore.Kind.LEASHED)
                .persistence(0)
                .dispatch(org.dl4jasync.dispatch.DispatchSpec.Bounded.of(1))
                .optimizerState(mode)
                .build()
                .fit(TinyNets.iterator(DATA), 10);
        assertThat(r.stepsAccepted()).isPositive();
        assertThat(r.stepsAccepted() + r.stepsRejected() + r.stepsDropped()).isEqualTo(10L * DATA.size());
    }

    // ---- only applied steps advance the state

    /** Accepts even tickets, rejects odd ones. */
    static class EvenTickets implements Dispatcher {
        private final AtomicLong next = new AtomicLong();
        private final ActiveWorkers active;

        EvenTickets(int m) {
            active = new ActiveWorkers(m);
        }

        @Override
        public long tryStartStep(int worker) {
            return next.getAndIncrement();
        }

        @Override
        public boolean finishStep(int worker, long ticket) {
            return ticket % 2 == 0;
        }

        @Override
        public long started() {
            return next.get();
        }

        @Override
        public ActiveWorkers active() {
            return active;
        }
    }

    static List<DataSet> evenBatches() {
        List<DataSet> even = new ArrayList<>();
        for (int i = 0; i < DATA.size(); i += 2) {
            even.add(DATA.get(i));
        }
        return even;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("updaters")
    void aRejectedStepLeavesTheStateUnchangedOnThreads(IUpdater u) {
        MultiLayerNetwork expected = mln(u.clone(), 0);
        expected.fit(TinyNets.iterator(evenBatches()));
        MultiLayerNetwork actual = mln(u.clone(), 0);
        TrainingReportCheck.rejectedHalf(new AsyncTrainer.Builder(actual)
                .workers(1)
                .shuffle(false)
                .dispatcher(EvenTickets::new)
                .build()
                .fit(TinyNets.iterator(DATA)));
        assertSame(actual, expected, "threads: the odd (rejected) steps left no trace");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("updaters")
    void aRejectedStepLeavesTheStateUnchangedInVirtualTime(IUpdater u) {
        MultiLayerNetwork expected = mln(u.clone(), 0);
        expected.fit(TinyNets.iterator(evenBatches()));
        MultiLayerNetwork actual = mln(u.clone(), 0);
        TrainingReportCheck.rejectedHalf(new Simulator.Builder(1, StepTimes.parse("constant:1", 1))
                .network(actual, DATA)
                .shuffle(false)
                .epochs(1)
                .dispatcher(EvenTickets::new)
                .build()
                .run());
        assertSame(actual, expected, "virtual time: the odd (rejected) steps left no trace");
    }

    /**
     * An update the store refuses after it was formed (the staleness bound decided at apply time, the CAS-published
     * store's persistence bound, a non-finite update skipped) is undone exactly; an applied one stays.
     */
    @Test
    void anUpdateTheStoreRefusesIsUndone() {
        WorkerState ws = workerOf(mln(new Adam(0.01), 0));
        INDArray before = ws.replica.updaterState().dup();
        ws.saveState();
        ws.replica.updaterState().addi(1.0); // a formed update moved the state ...
        ws.restoreState(); // ... and the store refused it
        assertThat(equalExactly(ws.replica.updaterState(), before)).isTrue();
        ws.saveState();
        ws.replica.updaterState().addi(1.0);
        ws.stateApplied(); // applied: it stays
        ws.restoreState();
        assertThat(equalExactly(ws.replica.updaterState(), before.add(1.0))).isTrue();
    }

    private static WorkerState workerOf(MultiLayerNetwork net) {
        org.dl4jasync.model.TrainableModel model = org.dl4jasync.model.TrainableModel.of(net);
        ParameterStore store =
                ParameterStore.create(ParameterStore.Kind.HOGWILD, model, 1, ParameterStore.UNBOUNDED_PERSISTENCE);
        org.dl4jasync.parameters.WorkerView view = store.newWorkerView(0);
        return new WorkerState(
                0,
                view,
                view.replica(),
                org.dl4jasync.stepsize.ConstantStepSize.INSTANCE,
                false,
                new org.dl4jasync.metrics.WorkerStats(0),
                0);
    }

    @Test
    void refusedAtTheStoreOnThreadsTrainsAsItsAppliedStepsSay() {
        // bounded staleness 0 with one worker refuses nothing: net.fit bit for bit (the undo path is taken only
        // when a refusal comes, and never changes an applied step's state)
        MultiLayerNetwork expected = mln(new Adam(0.01), 0);
        MultiLayerNetwork actual = mln(new Adam(0.01), 0);
        expected.fit(TinyNets.iterator(DATA));
        new AsyncTrainer.Builder(actual)
                .workers(1)
                .shuffle(false)
                .dispatch(org.dl4jasync.dispatch.DispatchSpec.Bounded.of(0))
                .build()
                .fit(TinyNets.iterator(DATA));
        assertSame(actual, expected, "bounded 0, one worker");
    }

    /** Helpers on reports. */
    static final class TrainingReportCheck {
        static void rejectedHalf(org.dl4jasync.metrics.TrainingReport r) {
            assertThat(r.stepsAccepted()).isEqualTo(DATA.size() / 2);
            assertThat(r.stepsRejected()).isEqualTo(DATA.size() / 2);
        }
    }
}
