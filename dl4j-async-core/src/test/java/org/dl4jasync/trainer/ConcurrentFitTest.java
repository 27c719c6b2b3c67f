package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One run at a time per network: a second {@code fit} (same trainer from another thread, or another trainer, or a
 * simulation) while one runs is refused with an IllegalStateException, and the first run is unharmed; after it
 * ends, the network can be trained again. Before, both fits ran and reported all their steps while the network
 * counted one run's: one run's work was lost silently.
 */
class ConcurrentFitTest {
    private final List<DataSet> data = TinyNets.blobs(40, 8, 3);

    /** Runs {@code second} while the first fit of {@code trainer} is inside its first applied step's listener. */
    private TrainingReport whileFitting(AsyncTrainer trainer, Runnable second) throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch tried = new CountDownLatch(1);
        trainer.addListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                if (inside.getCount() > 0) {
                    inside.countDown();
                    try {
                        tried.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        ExecutorService first = Executors.newSingleThreadExecutor();
        try {
            Future<TrainingReport> f = first.submit(() -> trainer.fit(TinyNets.iterator(data), 2));
            assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
            try {
                second.run();
            } finally {
                tried.countDown();
            }
            return f.get(60, TimeUnit.SECONDS);
        } finally {
            first.shutdownNow();
        }
    }

    @Test
    void aSecondFitOfTheSameTrainerIsRefusedAndTheFirstLosesNothing() throws Exception {
        MultiLayerNetwork net = TinyNets.net(1);
        try (AsyncTrainer trainer = new AsyncTrainer.Builder(net).workers(2).build()) {
            TrainingReport r =
                    whileFitting(trainer, () -> assertThatThrownBy(() -> trainer.fit(TinyNets.iterator(data), 2))
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("being trained by another fit"));
            assertThat(r.stepsAccepted()).isEqualTo(80);
            assertThat(net.getIterationCount())
                    .as("every step of the one run that ran")
                    .isEqualTo(80);
            trainer.fit(TinyNets.iterator(data), 1); // free again afterwards
            assertThat(net.getIterationCount()).isEqualTo(120);
        }
    }

    @Test
    void anotherTrainerOrASimulationOfTheSameNetworkIsRefusedToo() throws Exception {
        MultiLayerNetwork net = TinyNets.net(2);
        try (AsyncTrainer trainer = new AsyncTrainer.Builder(net).workers(2).build();
                AsyncTrainer other = new AsyncTrainer.Builder(net).workers(2).build()) {
            Simulator sim = new Simulator.Builder(2, StepTimes.parse("exp:0.01", 2))
                    .network(net, data)
                    .epochs(1)
                    .build();
            TrainingReport r = whileFitting(trainer, () -> {
                assertThatThrownBy(() -> other.fit(TinyNets.iterator(data), 1))
                        .isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(sim::run).isInstanceOf(IllegalStateException.class);
            });
            assertThat(r.stepsAccepted()).isEqualTo(80);
            assertThat(net.getIterationCount()).isEqualTo(80);
            assertThat(other.fit(TinyNets.iterator(data), 1).stepsAccepted()).isEqualTo(40);
        }
    }

    @Test
    void twoNetworksTrainSideBySide() throws Exception {
        MultiLayerNetwork a = TinyNets.net(3);
        MultiLayerNetwork b = TinyNets.net(4);
        try (AsyncTrainer ta = new AsyncTrainer.Builder(a).workers(2).build();
                AsyncTrainer tb = new AsyncTrainer.Builder(b).workers(2).build()) {
            TrainingReport[] rb = new TrainingReport[1];
            TrainingReport ra = whileFitting(ta, () -> rb[0] = tb.fit(TinyNets.iterator(data), 1));
            assertThat(ra.stepsAccepted()).isEqualTo(80);
            assertThat(rb[0].stepsAccepted()).isEqualTo(40);
        }
    }
}
