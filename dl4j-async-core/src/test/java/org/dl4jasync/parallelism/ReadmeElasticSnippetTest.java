package org.dl4jasync.parallelism;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.dispatch.AsyncDispatcher;
import org.dl4jasync.metrics.EmaLossMonitor;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.stepsize.TailStepSize;
import org.dl4jasync.testing.TinyNets;
import org.dl4jasync.trainer.AsyncTrainer;
import org.junit.jupiter.api.Test;

/** The README's TAIL-τ + elastic example, as written there (on a tiny network). */
class ReadmeElasticSnippetTest {

    @Test
    void theReadmeExampleRuns() {
        MultiLayerNetwork net = TinyNets.net(3);
        EmaLossMonitor loss = new EmaLossMonitor(0.01);
        long t0 = System.nanoTime();
        ElasticController elastic = new ElasticController.Builder(16, loss, () -> (System.nanoTime() - t0) / 1e9).build();
        AsyncTrainer adaptive = new AsyncTrainer.Builder(net).workers(16)
                .stepSize(new TailStepSize.Builder(16).build())
                .dispatcher(m -> { AsyncDispatcher d = new AsyncDispatcher(m); elastic.bind(d.active()); return d; })
                .stepListener(loss).stepListener(elastic)
                .maxSteps(600)
                .build();
        TrainingReport r = adaptive.fit(TinyNets.iterator(TinyNets.blobs(40, 16, 7)), Integer.MAX_VALUE);
        assertThat(r.stepsAccepted).isEqualTo(600);
        assertThat(elastic.workers()).isBetween(1, 16);
        assertThat(r.stepScale.policy).startsWith("tail");
    }
}
