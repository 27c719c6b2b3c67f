package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.config.EvaluationMode;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@link org.dl4jasync.config.EvaluationMode}: with PAUSED no update is applied while an evaluation reads the test
 * data and the clock stands still meanwhile; with CONCURRENT the other workers go on training.
 */
class EvaluationPauseTest {
    private static final List<DataSet> TRAIN = TinyNets.blobs(120, 8, 1);
    private static final List<DataSet> TEST = TinyNets.blobs(6, 8, 2);

    /** Test data that takes its time (a few ms per batch) and says while it is being read. */
    static final class SlowTestData extends ExistingDataSetIterator {
        private static final long serialVersionUID = 1L;
        volatile boolean reading;

        SlowTestData() {
            super(TEST);
        }

        @Override
        public DataSet next() {
            reading = true;
            try {
                Thread.sleep(3);
                return super.next();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                reading = false;
            }
        }
    }

    /** Counts applied updates whose listener call came while the test data was being read. */
    static final class DuringEvaluation extends BaseTrainingListener {
        final AtomicInteger count = new AtomicInteger();
        private final SlowTestData data;

        DuringEvaluation(SlowTestData data) {
            this.data = data;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            if (data.reading) {
                count.incrementAndGet();
            }
        }
    }

    private static TrainingReport run(
            Algorithm algorithm, ParameterStore.Kind store, EvaluationMode mode, DuringEvaluation[] counter) {
        MultiLayerNetwork net = TinyNets.net(3);
        SlowTestData test = new SlowTestData();
        counter[0] = new DuringEvaluation(test);
        try (AsyncTrainer trainer = new AsyncTrainer.Builder(net)
                .workers(2)
                .algorithm(algorithm)
                .store(store)
                .evaluation(test, 10)
                .evaluationMode(mode)
                .seed(5)
                .build()) {
            trainer.addListeners(counter[0]);
            return trainer.fit(TinyNets.iterator(TRAIN), 3);
        }
    }

    @ParameterizedTest
    @CsvSource({"async, hogwild", "async, leashed", "async, locked", "sync, hogwild", "interval, hogwild"})
    void pausedEvaluationAppliesNothingWhileItReads(String algorithm, String store) {
        DuringEvaluation[] counter = new DuringEvaluation[1];
        TrainingReport r = run(
                Algorithm.valueOf(algorithm.toUpperCase()),
                ParameterStore.Kind.valueOf(store.toUpperCase()),
                EvaluationMode.PAUSED,
                counter);
        assertThat(r.accuracyTrace()).hasSizeGreaterThan(3);
        assertThat(counter[0].count.get()).isZero();
        assertThat(r.evaluationSeconds()).isPositive();
        assertThat(r.config()).containsEntry("eval_mode", "paused");
    }

    @Test
    void concurrentEvaluationLetsTheOtherWorkerTrain() {
        DuringEvaluation[] counter = new DuringEvaluation[1];
        TrainingReport r = run(Algorithm.ASYNC, ParameterStore.Kind.HOGWILD, EvaluationMode.CONCURRENT, counter);
        // dozens of evaluations of 6 slow batches each: the other worker applies updates meanwhile
        assertThat(counter[0].count.get()).isPositive();
        assertThat(r.config()).containsEntry("eval_mode", "concurrent");
    }

    @Test
    void theClockStandsStillDuringAPauseAndGoesOnFromThere() throws InterruptedException {
        PausingClock clock = new PausingClock(System.nanoTime());
        clock.enterStep(() -> false);
        clock.pause(() -> false); // the only step in flight is the caller's own
        double frozen = clock.getAsDouble();
        Thread.sleep(20);
        assertThat(clock.getAsDouble()).isEqualTo(frozen);
        clock.resume();
        clock.exitStep();
        assertThat(clock.getAsDouble()).isGreaterThanOrEqualTo(frozen);
        assertThat(clock.pausedSeconds()).isGreaterThanOrEqualTo(0.02);
    }

    @Test
    void aPauseWaitsForTheOtherStepsInFlight() throws Exception {
        PausingClock clock = new PausingClock(System.nanoTime());
        clock.enterStep(() -> false); // another worker's step
        AtomicInteger paused = new AtomicInteger();
        Thread evaluator = new Thread(() -> {
            clock.enterStep(() -> false);
            clock.pause(() -> false);
            paused.set(1);
            clock.resume();
            clock.exitStep();
        });
        evaluator.start();
        Thread.sleep(50);
        assertThat(paused.get()).isZero(); // still waiting for the other step
        clock.exitStep();
        evaluator.join(10_000);
        assertThat(paused.get()).isOne();
    }
}
