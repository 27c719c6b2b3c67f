package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class AsyncTrainerTest {
    private static final List<DataSet> TRAIN = TinyNets.blobs(40, 16, 7);
    private static final List<DataSet> TEST = TinyNets.blobs(10, 32, 8);

    /** Counts events and fails if two threads are ever inside a listener at once. */
    static final class CountingListener extends BaseTrainingListener {
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();
        final AtomicLong iterations = new AtomicLong();
        final AtomicInteger epochStarts = new AtomicInteger();
        final AtomicInteger epochEnds = new AtomicInteger();
        final boolean[] seen = new boolean[10_000];

        private void enter() {
            if (inside.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            enter();
            iterations.incrementAndGet();
            seen[iteration] = true;
            inside.decrementAndGet();
        }

        @Override
        public void onEpochStart(Model model) {
            enter();
            epochStarts.incrementAndGet();
            inside.decrementAndGet();
        }

        @Override
        public void onEpochEnd(Model model) {
            enter();
            epochEnds.incrementAndGet();
            inside.decrementAndGet();
        }
    }

    @Test
    void sequentialIsEquivalentToNetFit() {
        MultiLayerNetwork reference = TinyNets.net(3);
        MultiLayerNetwork trained = TinyNets.net(3);
        assertThat(trained.params()).isEqualTo(reference.params());
        for (DataSet ds : TRAIN) {
            reference.fit(ds);
        }
        TrainingReport r = new AsyncTrainer.Builder(trained)
                .algorithm(Algorithm.SEQUENTIAL)
                .shuffle(false)
                .build()
                .fit(TinyNets.iterator(TRAIN));
        assertThat(r.stepsAccepted()).isEqualTo(TRAIN.size());
        assertThat(r.staleness().max()).isZero();
        double diff = trained.params().sub(reference.params()).amaxNumber().doubleValue();
        assertThat(diff).isLessThan(1e-5);
        assertThat(trained.getIterationCount()).isEqualTo(reference.getIterationCount());
    }

    @Test
    void listenersSeeEveryAppliedUpdateAndEveryEpochSerially() {
        MultiLayerNetwork net = TinyNets.net(4);
        CountingListener onNet = new CountingListener();
        net.setListeners(onNet);
        CountingListener onTrainer = new CountingListener();
        AsyncTrainer trainer = new AsyncTrainer.Builder(net).workers(3).build();
        trainer.addListeners(onTrainer); // added after build: honoured
        TrainingReport r = trainer.fit(TinyNets.iterator(TRAIN), 3);

        long expected = 3L * TRAIN.size();
        assertThat(r.stepsAccepted()).isEqualTo(expected);
        for (CountingListener l : List.of(onNet, onTrainer)) {
            assertThat(l.iterations.get()).isEqualTo(expected);
            assertThat(l.epochStarts.get()).isEqualTo(3);
            assertThat(l.epochEnds.get()).isEqualTo(3);
            assertThat(l.overlaps.get()).isZero();
            for (int i = 0; i < expected; i++) {
                assertThat(l.seen[i]).as("iteration %d delivered", i).isTrue();
            }
        }
        assertThat(net.getIterationCount()).isEqualTo((int) expected);
        assertThat(net.getEpochCount()).isEqualTo(3);
        assertThat(r.epochsCompleted()).isEqualTo(3);
        assertThat(r.stopReason().key()).isEqualTo("epochs");

        // a second fit continues the counts (LR schedules keep working)
        trainer.fit(TinyNets.iterator(TRAIN), 1);
        assertThat(net.getIterationCount()).isEqualTo((int) expected + TRAIN.size());
        assertThat(net.getEpochCount()).isEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(ParameterStore.Kind.class)
    void everyStoreLearnsAndMeasuresStaleness(ParameterStore.Kind kind) {
        MultiLayerNetwork net = TinyNets.net(5);
        TrainingReport r = new AsyncTrainer.Builder(net)
                .workers(4)
                .store(kind)
                .evaluation(TinyNets.iterator(TEST))
                .build()
                .fit(TinyNets.iterator(TRAIN), 4);
        assertThat(r.stepsAccepted()).isEqualTo(4L * TRAIN.size());
        assertThat(r.staleness().histogram().stream().mapToLong(e -> e[1]).sum())
                .isEqualTo(r.stepsAccepted());
        assertThat(r.staleness().max()).isLessThanOrEqualTo(r.stepsAccepted());
        assertThat(r.finalAccuracy()).isGreaterThan(0.9);
        assertThat(r.store()).isEqualTo(kind.name().toLowerCase());
        // the original network holds the trained parameters
        assertThat(net.evaluate(TinyNets.iterator(TEST)).accuracy()).isCloseTo(r.finalAccuracy(), within(1e-9));
    }

    @Test
    void maxStepsIsExact() {
        TrainingReport r = new AsyncTrainer.Builder(TinyNets.net(6))
                .workers(3)
                .maxSteps(37)
                .build()
                .fit(TinyNets.iterator(TRAIN), Integer.MAX_VALUE);
        assertThat(r.stepsAccepted()).isEqualTo(37);
        assertThat(r.stopReason().key()).isEqualTo("max_steps");
    }

    @Test
    void targetAccuracyStopsEarlyAndReportsTheTime() {
        TrainingReport r = new AsyncTrainer.Builder(TinyNets.net(6))
                .workers(2)
                .evaluation(TinyNets.iterator(TEST), 5)
                .targetAccuracy(0.8)
                .build()
                .fit(TinyNets.iterator(TRAIN), 50);
        assertThat(r.stopReason().key()).isEqualTo("target_accuracy");
        assertThat(r.timeToTargetSeconds()).isNotNull().isPositive();
        assertThat(r.stepsAccepted()).isLessThan(50L * TRAIN.size());
        assertThat(r.accuracyTrace()).isNotEmpty();
        assertThat(r.accuracyTrace().get(r.accuracyTrace().size() - 1).value).isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void syncAveragesMGradientsPerUpdateWithZeroStaleness() {
        TrainingReport r = new AsyncTrainer.Builder(TinyNets.net(7))
                .algorithm(Algorithm.SYNC)
                .workers(3)
                .evaluation(TinyNets.iterator(TEST))
                .build()
                .fit(TinyNets.iterator(TRAIN), 6);
        long batches = 6L * TRAIN.size();
        assertThat(r.batchesProcessed()).isEqualTo(batches);
        assertThat(r.stepsAccepted()).isEqualTo((batches + 2) / 3);
        assertThat(r.staleness().max()).isZero();
        assertThat(r.finalAccuracy()).isGreaterThan(0.9);
    }

    @Test
    void syncWithOneWorkerEqualsSequential() {
        MultiLayerNetwork a = TinyNets.net(8);
        MultiLayerNetwork b = TinyNets.net(8);
        new AsyncTrainer.Builder(a)
                .algorithm(Algorithm.SYNC)
                .workers(1)
                .shuffle(false)
                .build()
                .fit(TinyNets.iterator(TRAIN));
        new AsyncTrainer.Builder(b)
                .algorithm(Algorithm.SEQUENTIAL)
                .shuffle(false)
                .build()
                .fit(TinyNets.iterator(TRAIN));
        assertThat(a.params().sub(b.params()).amaxNumber().doubleValue()).isLessThan(1e-6);
    }

    @Test
    void prefetchingSourceStreamsAnyIterator() {
        MultiLayerNetwork net = TinyNets.net(9);
        CountingListener l = new CountingListener();
        TrainingReport r = new AsyncTrainer.Builder(net)
                .workers(3)
                .dataMode(AsyncTrainer.DataMode.PREFETCH)
                .prefetch(2)
                .listeners(l)
                .build()
                .fit(TinyNets.iterator(TRAIN), 2);
        assertThat(r.stepsAccepted()).isEqualTo(2L * TRAIN.size());
        assertThat(l.epochStarts.get()).isEqualTo(2);
        assertThat(l.epochEnds.get()).isEqualTo(2);
        assertThat(r.epochsCompleted()).isEqualTo(2);
    }

    @Test
    void stepListenerSeesEveryStepAndTheReportAddsUp() {
        AtomicLong steps = new AtomicLong();
        AtomicLong tauSum = new AtomicLong();
        TrainingReport r = new AsyncTrainer.Builder(TinyNets.net(10))
                .workers(4)
                .stepListener((w, ticket, accepted, tau, scale, loss) -> {
                    steps.incrementAndGet();
                    if (accepted) {
                        tauSum.addAndGet(tau);
                    }
                })
                .build()
                .fit(TinyNets.iterator(TRAIN), 2);
        assertThat(steps.get()).isEqualTo(r.stepsStarted());
        assertThat(r.stepsStarted()).isEqualTo(r.stepsAccepted() + r.stepsRejected() + r.stepsDropped());
        assertThat(r.staleness().mean() * r.stepsAccepted()).isCloseTo(tauSum.get(), within(1e-6));
        assertThat(r.stepScale().mean()).isEqualTo(1.0);
        assertThat(r.lossTrace()).isNotEmpty();
        assertThat(r.workerSeconds()).isPositive();
    }

    @ParameterizedTest
    @EnumSource(ParameterStore.Kind.class)
    void copyLatestParamsSeesTheSharedParametersDuringAndAfterFit(ParameterStore.Kind kind) {
        MultiLayerNetwork net = TinyNets.net(5);
        INDArray initial = net.params().dup();
        AsyncTrainer[] trainer = new AsyncTrainer[1];
        AtomicInteger changedDuringFit = new AtomicInteger();
        trainer[0] = new AsyncTrainer.Builder(net)
                .workers(2)
                .store(kind)
                .maxSteps(30)
                .listeners(new BaseTrainingListener() {
                    private final INDArray seen = Nd4j.create(initial.dataType(), initial.shape());

                    @Override
                    public void iterationDone(Model model, int iteration, int epoch) {
                        trainer[0].copyLatestParams(seen); // listeners are serialised: one buffer is enough
                        if (!seen.equals(initial)) {
                            changedDuringFit.incrementAndGet();
                        }
                    }
                })
                .build();
        trainer[0].fit(TinyNets.iterator(TRAIN), Integer.MAX_VALUE);
        assertThat(changedDuringFit.get()).isEqualTo(30);
        INDArray after = Nd4j.create(initial.dataType(), initial.shape());
        trainer[0].copyLatestParams(after);
        assertThat(after).isEqualTo(net.params());
    }

    @Test
    void fitWithoutEpochsRunsTheConfiguredOnesOrOneAsNetFit() {
        TrainingReport one =
                new AsyncTrainer.Builder(TinyNets.net(4)).workers(1).build().fit(TinyNets.iterator(TRAIN));
        assertThat(one.stepsAccepted()).isEqualTo(TRAIN.size());
        TrainingReport three = new AsyncTrainer.Builder(TinyNets.net(4))
                .workers(1)
                .epochs(3)
                .build()
                .fit(TinyNets.iterator(TRAIN));
        assertThat(three.stepsAccepted()).isEqualTo(3L * TRAIN.size());
        assertThat(three.config()).containsEntry("epochs", 3);
        TrainingReport bounded = new AsyncTrainer.Builder(TinyNets.net(4))
                .workers(1)
                .maxSteps(100)
                .build()
                .fit(TinyNets.iterator(TRAIN));
        assertThat(bounded.stepsAccepted())
                .as("another stop condition lifts the one-epoch default")
                .isEqualTo(100);
        assertThat(bounded.stopReason().key()).isEqualTo("max_steps");
    }

    @Test
    void syncStepEventsCountGradientsAndTheirAcceptedOnesCountUpdates() {
        AtomicLong events = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        TrainingReport r = new AsyncTrainer.Builder(TinyNets.net(6))
                .algorithm(Algorithm.SYNC)
                .workers(3)
                .maxSteps(20)
                .stepListener((w, ticket, ok, tau, scale, loss) -> {
                    events.incrementAndGet();
                    if (ok) {
                        accepted.incrementAndGet();
                        assertThat(tau).isZero();
                    }
                })
                .build()
                .fit(TinyNets.iterator(TRAIN), Integer.MAX_VALUE);
        assertThat(r.stepsAccepted()).isEqualTo(20);
        assertThat(accepted.get()).isEqualTo(r.stepsAccepted());
        assertThat(events.get()).isEqualTo(r.batchesProcessed()).isEqualTo(60);
    }
}
