package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/** A run whose parameters blow up ends with stop reason "diverged" instead of an exception. */
class DivergenceTest {
    private static final List<DataSet> TRAIN = TinyNets.blobs(20, 8, 1);
    private static final List<DataSet> TEST = TinyNets.blobs(4, 16, 2);


    @Test
    void theTrainerStopsWithDiverged() {
        TrainingReport r = new AsyncTrainer.Builder(TinyNets.exploding()).workers(2)
                .evaluation(TinyNets.iterator(TEST), 10).build()
                .fit(TinyNets.iterator(TRAIN), 50);
        assertThat(r.stopReason().key()).isEqualTo("diverged");
        assertThat(r.finalAccuracy()).isNull();
        assertThat(r.toJson()).doesNotContain(": NaN").doesNotContain(", NaN ]"); // NaN only as the string "NaN"
    }

    @Test
    void theSimulatorStopsWithDiverged() {
        TrainingReport r = new Simulator.Builder(4, StepTimes.parse("exp:1", 4))
                .network(TinyNets.exploding(), TRAIN).evaluation(TinyNets.iterator(TEST), 10)
                .epochs(50).build().run();
        assertThat(r.stopReason().key()).isEqualTo("diverged");
        assertThat(r.finalAccuracy()).isNull();
    }
}
