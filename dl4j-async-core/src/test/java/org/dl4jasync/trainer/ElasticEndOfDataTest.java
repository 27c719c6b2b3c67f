package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.dl4jasync.dispatch.AsyncDispatcher;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/** Parked workers leave when the data ends: an epoch-bounded run with a low active bound terminates. */
class ElasticEndOfDataTest {
    private static final List<DataSet> TRAIN = TinyNets.blobs(40, 16, 7);

    @Test
    void runEndsAtTheLastEpochWhileWorkersArePark() {
        TrainingReport r =
                assertTimeoutPreemptively(Duration.ofSeconds(60), () -> new AsyncTrainer.Builder(TinyNets.net(4))
                        .workers(6)
                        .dispatcher(m -> {
                            AsyncDispatcher d = new AsyncDispatcher(m);
                            d.setActiveWorkers(2);
                            return d;
                        })
                        .build()
                        .fit(TinyNets.iterator(TRAIN), 3));
        assertThat(r.stepsAccepted()).isEqualTo(120);
        assertThat(r.stopReason().key()).isEqualTo("epochs");
        assertThat(r.epochsCompleted()).isEqualTo(3);
    }
}
