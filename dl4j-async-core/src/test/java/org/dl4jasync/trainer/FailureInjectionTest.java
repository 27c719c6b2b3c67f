package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.config.LossSignal;
import org.dl4jasync.config.RunOptions;
import org.dl4jasync.dispatch.ActiveWorkers;
import org.dl4jasync.dispatch.AsyncDispatcher;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.dispatch.KAsyncPolicy;
import org.dl4jasync.dispatch.RoundPolicy;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.stepsize.StepSizePolicy;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An exception at any point of a step — reading data, the gradient, the dispatcher, the apply (inside the store,
 * under its lock or CAS loop), a DL4J listener, a step listener, the controller's loss reading in a probing or
 * elastic phase — ends the run with {@link TrainingFailedException} whose cause is that exception, on every
 * algorithm and store, on real threads and in virtual time; no worker, prefetch or gradient thread outlives it.
 * Hangs are caught by the timeout; the time from the fault to {@code fit}'s return is printed (not asserted: the
 * machine is shared), and the largest seen is reported at the end.
 */
@Timeout(60)
class FailureInjectionTest {
    private static final int WORKERS = 4;
    /** The fault fires at this call of its point (a few steps into the run, every worker started). */
    private static final int AT = 6;

    private static final List<DataSet> TRAIN = TinyNets.blobs(40, 8, 5);
    private static final AtomicLong SLOWEST_END_NANOS = new AtomicLong();

    /** The injected exception: recognisable as the cause. */
    static final class Injected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long at = System.nanoTime();

        Injected(String where) {
            super("injected fault: " + where);
        }
    }

    /** Where the fault is injected. */
    enum Point {
        /** The prefetching iterator throws (threads only: the simulator's batches are in memory). */
        DATA,
        /** A minibatch whose labels do not fit the network: DL4J throws in the backward pass. */
        GRADIENT,
        /** The step-size policy throws inside the store's apply (under the lock, inside the CAS loop). */
        APPLY,
        /** The dispatcher (async), or the round policy (K-async, ABS), throws. */
        DISPATCH,
        /** A DL4J listener's iterationDone throws. */
        LISTENER,
        /** A step listener throws. */
        STEP_LISTENER,
        /** The held-out sample throws when the controller reads its loss after a few steps (probing, elastic). */
        CONTROLLER
    }

    /** Every algorithm (interval twice: fixed y and probing; K-async twice: plain and local SGD). */
    enum Algo {
        SYNC,
        ASYNC,
        INTERVAL,
        INTERVAL_PROBE,
        ELASTIC,
        BOUNDED,
        SSP,
        KASYNC,
        LOCAL_SGD,
        ABS;

        boolean has(Point p) {
            switch (p) {
                case APPLY: // sync applies with factor 1: no step-size call
                    return this != SYNC;
                case DISPATCH:
                    return this == ASYNC || this == KASYNC || this == LOCAL_SGD || this == ABS;
                case CONTROLLER:
                    return this == INTERVAL_PROBE || this == ELASTIC;
                default:
                    return true;
            }
        }

        <B extends RunOptions<B>> B compose(B b) {
            switch (this) {
                case SYNC:
                    return b.algorithm(Algorithm.SYNC);
                case INTERVAL:
                    return b.dispatch(org.dl4jasync.dispatch.DispatchSpec.Interval.fixed(2));
                case INTERVAL_PROBE:
                    return b.dispatch(org.dl4jasync.dispatch.DispatchSpec.Interval.of(
                            2, new org.dl4jasync.dispatch.IntervalSchedule.Probe(2, 1, 4, 4)));
                case ELASTIC:
                    return b.algorithm(Algorithm.ASYNC)
                            .elastic(org.dl4jasync.parallelism.ElasticSpec.Probing.of(1, 1)
                                    .withWindow(2));
                case BOUNDED:
                    return b.dispatch(org.dl4jasync.dispatch.DispatchSpec.Bounded.of(2));
                case SSP:
                    return b.dispatch(new org.dl4jasync.dispatch.DispatchSpec.Ssp(1));
                case KASYNC:
                    return b.dispatch(org.dl4jasync.dispatch.RoundSpec.KAsync.of(2));
                case LOCAL_SGD:
                    return b.dispatch(
                            new org.dl4jasync.dispatch.RoundSpec.KAsync(java.util.OptionalInt.of(2), false, 2));
                case ABS:
                    return b.dispatch(new org.dl4jasync.dispatch.RoundSpec.Abs(
                            java.util.OptionalInt.empty(), java.util.OptionalDouble.of(4), 1));
                default:
                    return b.algorithm(Algorithm.ASYNC);
            }
        }
    }

    static List<Arguments> matrix(boolean threads) {
        List<Arguments> all = new ArrayList<>();
        for (Point p : Point.values()) {
            if (p == Point.DATA && !threads) {
                continue;
            }
            for (Algo a : Algo.values()) {
                if (a.has(p)) {
                    for (ParameterStore.Kind k : ParameterStore.Kind.values()) {
                        all.add(Arguments.of(p, a, k));
                    }
                }
            }
        }
        return all;
    }

    static List<Arguments> threadMatrix() {
        return matrix(true);
    }

    static List<Arguments> virtualMatrix() {
        return matrix(false);
    }

    /** Counts calls of one point and throws at the {@link #AT}-th. */
    static final class Trigger {
        private final AtomicInteger calls = new AtomicInteger();
        private final String where;
        volatile Injected fired;

        Trigger(String where) {
            this.where = where;
        }

        void call() {
            if (calls.incrementAndGet() == AT) {
                fire();
            }
        }

        void fire() {
            Injected e = new Injected(where);
            if (fired == null) {
                fired = e;
            }
            throw e;
        }
    }

    /** Injects the fault of {@code p} into the run's options; returns its trigger. */
    private static <B extends RunOptions<B>> Trigger inject(B b, Point p, Algo a) {
        Trigger t = new Trigger(p.name().toLowerCase());
        switch (p) {
            case APPLY:
                b.stepSize(new StepSizePolicy() {
                    @Override
                    public double factor(long tau) {
                        t.call();
                        return 1.0;
                    }

                    @Override
                    public String name() {
                        return "throwing";
                    }
                });
                return t;
            case DISPATCH:
                if (a == Algo.ASYNC) {
                    b.dispatch(new org.dl4jasync.dispatch.DispatchSpec.Async(
                            m -> new ThrowingDispatcher(new AsyncDispatcher(m), t)));
                } else {
                    b.dispatch(new org.dl4jasync.dispatch.RoundSpec.KAsync(
                            java.util.OptionalInt.empty(),
                            false,
                            1,
                            m -> new ThrowingRoundPolicy(KAsyncPolicy.fixed(2, m), t)));
                }
                return t;
            case STEP_LISTENER:
                b.stepListener((w, ticket, accepted, tau, scale, loss) -> t.call());
                return t;
            case CONTROLLER: { // the held-out sample throws when the controller reads the loss after AT steps
                AtomicInteger steps = new AtomicInteger();
                b.stepListener((w, ticket, accepted, tau, scale, loss) -> steps.incrementAndGet());
                DataSet sample = TinyNets.blobs(1, 16, 9).get(0);
                b.lossMonitor(LossSignal.EVAL)
                        .heldOut(new org.nd4j.linalg.dataset.MultiDataSet(sample.getFeatures(), sample.getLabels()) {
                            @Override
                            public org.nd4j.linalg.api.ndarray.INDArray getFeatures(int index) {
                                if (steps.get() >= AT) {
                                    t.fire();
                                }
                                return super.getFeatures(index);
                            }
                        });
                return t;
            }
            default:
                return t;
        }
    }

    private static TrainingListener throwingListener(Trigger t) {
        return new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                t.call();
            }
        };
    }

    /** Batch {@link #AT} has labels one column too wide. */
    private static List<DataSet> badLabels() {
        List<DataSet> data = new ArrayList<>(TRAIN);
        DataSet d = data.get(AT);
        data.set(AT, new DataSet(d.getFeatures(), Nd4j.zeros(d.numExamples(), TinyNets.CLASSES + 1)));
        return data;
    }

    private static DataSetIterator throwingIterator(Trigger t) {
        return new ExistingDataSetIterator(TRAIN) {
            @Override
            public DataSet next() {
                t.call();
                return super.next();
            }
        };
    }

    @ParameterizedTest(name = "{0} in {1}/{2}, threads")
    @MethodSource("threadMatrix")
    void aFaultEndsTheRunOnThreads(Point p, Algo a, ParameterStore.Kind store) {
        MultiLayerNetwork net = TinyNets.net(3);
        AsyncTrainer.Builder b = a.compose(
                new AsyncTrainer.Builder(net).workers(WORKERS).store(store).seed(4));
        Trigger t = inject(b, p, a);
        DataSetIterator data = TinyNets.iterator(p == Point.GRADIENT ? badLabels() : TRAIN);
        if (p == Point.DATA) {
            b.dataMode(AsyncTrainer.DataMode.PREFETCH);
            data = throwingIterator(t);
        }
        if (p == Point.LISTENER) {
            b.listeners(throwingListener(t));
        }
        AsyncTrainer trainer = b.build();
        DataSetIterator in = data;
        assertThatThrownBy(() -> trainer.fit(in, 20))
                .isInstanceOf(TrainingFailedException.class)
                .satisfies(e -> expectCause(e, p, t));
        record(t, p, a, store, "threads");
        assertThat(BadInputTest.liveWorkerThreads()).as("threads left").isZero();
        trainer.close();
    }

    @ParameterizedTest(name = "{0} in {1}/{2}, virtual time")
    @MethodSource("virtualMatrix")
    void aFaultEndsTheSimulation(Point p, Algo a, ParameterStore.Kind store) {
        MultiLayerNetwork net = TinyNets.net(3);
        Simulator.Builder b = a.compose(new Simulator.Builder(WORKERS, StepTimes.parse("exp:1", WORKERS))
                .store(store)
                .seed(4));
        Trigger t = inject(b, p, a);
        if (p == Point.LISTENER) {
            net.setListeners(throwingListener(t));
        }
        Simulator sim = b.network(net, p == Point.GRADIENT ? badLabels() : TRAIN)
                .epochs(20)
                .build();
        assertThatThrownBy(sim::run)
                .isInstanceOf(TrainingFailedException.class)
                .hasMessageContaining("at virtual time")
                .satisfies(e -> expectCause(e, p, t));
        record(t, p, a, store, "virtual time");
        assertThat(BadInputTest.liveWorkerThreads()).as("threads left").isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ParameterStore.Kind.class)
    void afterAFailureTheNetworkHoldsTheLastAppliedParameters(ParameterStore.Kind store) {
        // one worker, batches in order: the fault at batch AT comes after exactly AT applied updates
        MultiLayerNetwork failed = TinyNets.net(3);
        AsyncTrainer t = new AsyncTrainer.Builder(failed)
                .workers(1)
                .store(store)
                .shuffle(false)
                .seed(4)
                .build();
        assertThatThrownBy(() -> t.fit(TinyNets.iterator(badLabels()), 1)).isInstanceOf(TrainingFailedException.class);
        MultiLayerNetwork clean = TinyNets.net(3);
        new AsyncTrainer.Builder(clean)
                .workers(1)
                .store(store)
                .shuffle(false)
                .seed(4)
                .maxSteps(AT)
                .build()
                .fit(TinyNets.iterator(TRAIN), 1);
        assertThat(failed.params()).isEqualTo(clean.params());
        assertThat(failed.getIterationCount())
                .isEqualTo(clean.getIterationCount())
                .isEqualTo(AT);

        MultiLayerNetwork simulated = TinyNets.net(3);
        assertThatThrownBy(new Simulator.Builder(1, StepTimes.parse("exp:1", 1))
                        .store(store)
                        .seed(4)
                        .network(simulated, badLabels())
                        .shuffle(false)
                        .epochs(1)
                        .build()::run)
                .isInstanceOf(TrainingFailedException.class);
        assertThat(simulated.params()).isEqualTo(clean.params());
        assertThat(simulated.getIterationCount()).isEqualTo(AT);
    }

    private static void expectCause(Throwable e, Point p, Trigger t) {
        if (p == Point.GRADIENT) { // DL4J's own exception about the shapes
            assertThat(e.getCause()).isNotNull().isNotInstanceOf(Injected.class);
            assertThat(e.getMessage()).containsIgnoringCase("shape");
        } else if (p == Point.DATA) { // the prefetching source says the iterator failed, with its exception
            assertThat(t.fired).as("the fault fired").isNotNull();
            assertThat(e)
                    .hasMessageContaining("reading the data set iterator failed")
                    .hasRootCause(t.fired);
        } else {
            assertThat(t.fired).as("the fault fired").isNotNull();
            assertThat(e.getCause()).isInstanceOf(Injected.class).hasMessage("injected fault: " + t.where);
        }
    }

    private static void record(Trigger t, Point p, Algo a, ParameterStore.Kind store, String engine) {
        if (t != null && t.fired != null) {
            long nanos = System.nanoTime() - t.fired.at;
            SLOWEST_END_NANOS.accumulateAndGet(nanos, Math::max);
            System.out.printf(
                    "fault %s in %s/%s (%s): fit returned %.1f ms after it%n", p, a, store, engine, nanos / 1e6);
        }
    }

    @AfterAll
    static void slowest() {
        System.out.printf("FailureInjectionTest: slowest end after a fault %.1f ms%n", SLOWEST_END_NANOS.get() / 1e6);
    }

    /** Delegates to an {@link AsyncDispatcher}; its finishStep calls the trigger first. */
    private static final class ThrowingDispatcher implements Dispatcher {
        private final Dispatcher d;
        private final Trigger t;

        ThrowingDispatcher(Dispatcher d, Trigger t) {
            this.d = d;
            this.t = t;
        }

        @Override
        public long tryStartStep(int worker) {
            return d.tryStartStep(worker);
        }

        @Override
        public boolean finishStep(int worker, long ticket) {
            t.call();
            return d.finishStep(worker, ticket);
        }

        @Override
        public long started() {
            return d.started();
        }

        @Override
        public ActiveWorkers active() {
            return d.active();
        }
    }

    /** Delegates to a K-async policy; a submission calls the trigger first. */
    private static final class ThrowingRoundPolicy implements RoundPolicy {
        private final RoundPolicy p;
        private final Trigger t;

        ThrowingRoundPolicy(RoundPolicy p, Trigger t) {
            this.p = p;
            this.t = t;
        }

        @Override
        public int k() {
            return p.k();
        }

        @Override
        public long maxRoundsBehind() {
            return p.maxRoundsBehind();
        }

        @Override
        public void submitted(double loss) {
            t.call();
            p.submitted(loss);
        }

        @Override
        public void roundClosed() {
            p.roundClosed();
        }

        @Override
        public String label() {
            return p.label();
        }

        @Override
        public boolean adaptiveK() {
            return p.adaptiveK();
        }
    }
}
