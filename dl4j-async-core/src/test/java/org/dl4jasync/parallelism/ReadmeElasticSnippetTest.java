package org.dl4jasync.parallelism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.metrics.EmaLossMonitor;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.testing.TinyNets;
import org.dl4jasync.trainer.AsyncTrainer;
import org.junit.jupiter.api.Test;

/** The README's TAIL-τ + elastic example, as written there (on a tiny network). */
class ReadmeElasticSnippetTest {

    @Test
    void theReadmeExampleRuns() {
        MultiLayerNetwork net = TinyNets.net(3);
        AsyncTrainer adaptive = new AsyncTrainer.Builder(net)
                .workers(16)
                .algorithm(Algorithm.ASYNC)
                .elastic(
                        org.dl4jasync.parallelism.ElasticSpec.Probing
                                .DEFAULT) // the run composes the controller and its loss monitor
                .stepSize(new org.dl4jasync.stepsize.StepSizeSpec.Tail())
                .maxSteps(600)
                .build();
        TrainingReport r = adaptive.fit(TinyNets.iterator(TinyNets.blobs(40, 16, 7)), Integer.MAX_VALUE);
        assertThat(r.stepsAccepted()).isEqualTo(600);
        assertThat(r.algorithm()).isEqualTo("elastic");
        assertThat(r.parallelismTrace()).isNotEmpty();
        assertThat(r.parallelismTrace().get(r.parallelismTrace().size() - 1)[2].intValue())
                .isBetween(1, 16);
        assertThat(r.stepScale().policy()).startsWith("tail");
        assertThat(r.config()).containsEntry("step_size", "tail").containsEntry("parallelism", "elastic");
    }

    @Test
    void aControllerOfTheUsersOwnIsBoundToTheRun() {
        EmaLossMonitor loss = new EmaLossMonitor(0.01);
        ElasticController elastic = new ElasticController(16, loss);
        TrainingReport r = new AsyncTrainer.Builder(TinyNets.net(3))
                .workers(16)
                .elastic(elastic) // binds to each fit's dispatcher, sees every step
                .stepListener(loss) // feeds the controller's loss monitor
                .maxSteps(300)
                .build()
                .fit(TinyNets.iterator(TinyNets.blobs(40, 16, 7)), Integer.MAX_VALUE);
        assertThat(r.stepsAccepted()).isEqualTo(300);
        assertThat(elastic.workers()).isBetween(1, 16);
        assertThat(r.config()).containsEntry("parallelism", "custom");
    }

    @Test
    void theControllerMustMatchTheWorkerCountAndTheAlgorithm() {
        ElasticController c = new ElasticController(8, () -> 0);
        assertThatThrownBy(() -> new AsyncTrainer.Builder(TinyNets.net(1))
                        .workers(4)
                        .elastic(c)
                        .build())
                .hasMessageContaining("built for m̂ = 8 workers but the run has 4");
        assertThatThrownBy(() -> new AsyncTrainer.Builder(TinyNets.net(1))
                        .workers(8)
                        .algorithm(org.dl4jasync.config.Algorithm.SYNC)
                        .elastic(c)
                        .build())
                .hasMessageContaining("controls the asynchronous algorithms' workers");
    }
}
