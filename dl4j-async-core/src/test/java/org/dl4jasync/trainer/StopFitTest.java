package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dl4jasync.metrics.StopReason;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.dataset.DataSet;

class StopFitTest {
    private static final int WORKERS = 3;
    private final List<DataSet> data = TinyNets.blobs(200, 8, 3);

    @ParameterizedTest
    @EnumSource(ParameterStore.Kind.class)
    void stopFitFromAListenerEndsTheRunAfterTheStepsInFlight(ParameterStore.Kind store) {
        MultiLayerNetwork net = TinyNets.net(1);
        try (AsyncTrainer trainer =
                new AsyncTrainer.Builder(net).workers(WORKERS).store(store).build()) {
            int[] seenAtStop = {-1};
            trainer.addListeners(new BaseTrainingListener() {
                private int applied;

                @Override
                public void iterationDone(Model model, int iteration, int epoch) {
                    if (++applied == 10) {
                        seenAtStop[0] = applied;
                        trainer.stopFit();
                    }
                }
            });
            TrainingReport r = trainer.fit(TinyNets.iterator(data), 5);
            assertThat(seenAtStop[0]).isEqualTo(10);
            assertThat(r.stopReason()).isEqualTo(StopReason.STOPPED);
            // the stopping worker starts nothing more; each other worker finishes at most the step it had begun
            assertThat(r.stepsAccepted()).isBetween(10L, 10L + WORKERS - 1);
            assertThat(net.getIterationCount()).isEqualTo((int) r.stepsAccepted());
            assertThat(r.epochsCompleted()).isZero();
        }
    }

    @Test
    void stopFitFromAnotherThreadEndsARunningFit() throws Exception {
        MultiLayerNetwork net = TinyNets.net(2);
        CountDownLatch started = new CountDownLatch(1);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (AsyncTrainer trainer = new AsyncTrainer.Builder(net).workers(2).build()) {
            countDownOnEveryIteration(trainer, started);
            Future<TrainingReport> fit = caller.submit(() -> trainer.fit(TinyNets.iterator(data), Integer.MAX_VALUE));
            assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
            trainer.stopFit();
            TrainingReport r = fit.get(60, TimeUnit.SECONDS); // without stopFit it would never end
            assertThat(r.stopReason()).isEqualTo(StopReason.STOPPED);
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void stopFitWithoutARunningFitDoesNotAffectTheNextOne() {
        MultiLayerNetwork net = TinyNets.net(3);
        try (AsyncTrainer trainer = new AsyncTrainer.Builder(net).workers(2).build()) {
            trainer.stopFit();
            TrainingReport r = trainer.fit(TinyNets.iterator(data), 1);
            assertThat(r.stopReason()).isEqualTo(StopReason.EPOCHS);
            assertThat(r.stepsAccepted()).isEqualTo(data.size());
        }
    }

    @Test
    void interruptingTheThreadThatCallsFitEndsTheRunAndKeepsTheInterrupt() throws Exception {
        MultiLayerNetwork net = TinyNets.net(3);
        CountDownLatch started = new CountDownLatch(1);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (AsyncTrainer trainer = new AsyncTrainer.Builder(net).workers(2).build()) {
            countDownOnEveryIteration(trainer, started);
            boolean[] interruptKept = {false};
            StopReason[] reason = {null};
            Future<TrainingReport> fit = caller.submit(() -> {
                TrainingReport r = trainer.fit(TinyNets.iterator(data), Integer.MAX_VALUE);
                interruptKept[0] = Thread.currentThread().isInterrupted();
                reason[0] = r.stopReason();
                return r;
            });
            assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
            fit.cancel(true); // interrupts the calling thread
            caller.shutdown();
            assertThat(caller.awaitTermination(60, TimeUnit.SECONDS))
                    .as("fit returned after the interrupt")
                    .isTrue();
            assertThat(interruptKept[0])
                    .as("the caller's interrupt status is kept")
                    .isTrue();
            assertThat(reason[0]).isEqualTo(StopReason.INTERRUPTED);
            assertThat(Thread.getAllStackTraces().keySet())
                    .noneMatch(t -> t.getName().startsWith("dl4j-async-worker") && t.isAlive());
            assertThat(trainer.fit(TinyNets.iterator(data.subList(0, 20)), 1).stopReason())
                    .as("the trainer is usable again")
                    .isEqualTo(StopReason.EPOCHS);
        } finally {
            caller.shutdownNow();
        }
    }

    /**
     * The interrupt (how the CLI passes on SIGINT/SIGTERM) is set again only after the final checkpoint, the
     * evaluation and the report: before, the caller's interrupt cut the wait for the final checkpoint short.
     */
    @Test
    void anInterruptedRunStillWritesItsFinalCheckpointAndEvaluates(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        MultiLayerNetwork net = TinyNets.net(5);
        CountDownLatch started = new CountDownLatch(1);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (AsyncTrainer trainer = new AsyncTrainer.Builder(net)
                .workers(2)
                .checkpointDir(dir)
                .checkpointEvery(1000)
                .evaluation(TinyNets.iterator(data.subList(0, 10)))
                .build()) {
            countDownOnEveryIteration(trainer, started);
            java.util.concurrent.atomic.AtomicReference<TrainingReport> report =
                    new java.util.concurrent.atomic.AtomicReference<>();
            Future<?> fit = caller.submit(() -> report.set(trainer.fit(TinyNets.iterator(data), Integer.MAX_VALUE)));
            assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
            fit.cancel(true);
            caller.shutdown();
            assertThat(caller.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            TrainingReport r = report.get();
            assertThat(r.stopReason()).isEqualTo(StopReason.INTERRUPTED);
            assertThat(r.checkpoints().get("final_written"))
                    .as("the report saw the final write end")
                    .isEqualTo(true);
            assertThat(r.finalAccuracy()).as("evaluated at the end").isNotNull();
        } finally {
            caller.shutdownNow();
        }
        org.dl4jasync.checkpoint.CheckpointDirectory.Loaded last = org.dl4jasync.checkpoint.CheckpointDirectory.newest(
                        dir, w -> {})
                .orElseThrow();
        assertThat(((Number) last.contents.state.get("accepted")).longValue())
                .as("the final state's steps")
                .isEqualTo(net.getIterationCount());
    }

    @Test
    void closeFromAnotherThreadEndsARunningFitAndRefusesTheNext() throws Exception {
        MultiLayerNetwork net = TinyNets.net(4);
        CountDownLatch started = new CountDownLatch(1);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        AsyncTrainer trainer = new AsyncTrainer.Builder(net).workers(2).build();
        try {
            countDownOnEveryIteration(trainer, started);
            Future<TrainingReport> fit = caller.submit(() -> trainer.fit(TinyNets.iterator(data), Integer.MAX_VALUE));
            assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
            trainer.close();
            TrainingReport r = fit.get(60, TimeUnit.SECONDS); // without the stop in close it would never end
            assertThat(r.stopReason()).isEqualTo(StopReason.STOPPED);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> trainer.fit(TinyNets.iterator(data), 1))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        } finally {
            caller.shutdownNow();
        }
    }

    /** Counts {@code started} down at every applied update: a waiting test knows that the fit is training. */
    private static void countDownOnEveryIteration(AsyncTrainer trainer, CountDownLatch started) {
        trainer.addListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                started.countDown();
            }
        });
    }
}
