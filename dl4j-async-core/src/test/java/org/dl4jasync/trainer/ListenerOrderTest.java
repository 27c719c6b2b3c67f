package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@code iterationDone} comes in iteration order, each iteration once, however the workers race between applying
 * an update and delivering its event (before: with 16 workers, e.g. 205 before 204 in 10 of 723 calls).
 */
class ListenerOrderTest {
    private static final List<DataSet> DATA = TinyNets.blobs(100, 4, 3);

    @ParameterizedTest
    @CsvSource({"ASYNC, HOGWILD", "ASYNC, LOCKED", "ASYNC, LEASHED", "INTERVAL, HOGWILD", "KASYNC, HOGWILD"})
    void everyIterationOnceInOrder(Algorithm algorithm, ParameterStore.Kind store) {
        List<Integer> seen = new ArrayList<>();
        try (AsyncTrainer t = new AsyncTrainer.Builder(TinyNets.net(7))
                .workers(16)
                .algorithm(algorithm)
                .store(store)
                .build()) {
            t.addListeners(new BaseTrainingListener() {
                @Override
                public void iterationDone(Model model, int iteration, int epoch) {
                    seen.add(iteration); // listener calls are serialised by the trainer
                }
            });
            TrainingReport r = t.fit(TinyNets.iterator(DATA), 20);
            assertThat(seen).hasSize((int) r.stepsAccepted());
            for (int i = 0; i < seen.size(); i++) {
                assertThat(seen.get(i)).as("call %d", i).isEqualTo(i);
            }
        }
    }

    /**
     * An epoch cut short by a stop gets no onEpochEnd and does not count, as in DL4J's early-stopping trainer
     * (before: onEpochEnd fired while the network's epoch count stayed).
     */
    @org.junit.jupiter.api.Test
    void anEpochCutShortHasNoEpochEnd() {
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = TinyNets.net(8);
        int[] starts = {0};
        int[] ends = {0};
        try (AsyncTrainer t =
                new AsyncTrainer.Builder(net).workers(4).maxSteps(250).build()) { // 2.5 epochs
            t.addListeners(new BaseTrainingListener() {
                @Override
                public void onEpochStart(Model model) {
                    starts[0]++;
                }

                @Override
                public void onEpochEnd(Model model) {
                    ends[0]++;
                }
            });
            TrainingReport r = t.fit(TinyNets.iterator(DATA), 5);
            assertThat(r.epochsCompleted()).isEqualTo(2);
        }
        assertThat(starts[0]).isEqualTo(3);
        assertThat(ends[0]).as("the two whole epochs").isEqualTo(2);
        assertThat(net.getEpochCount()).isEqualTo(ends[0]);
    }
}
