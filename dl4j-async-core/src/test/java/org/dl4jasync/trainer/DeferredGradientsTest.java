package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The simulator computes a step's gradient only when the step applies or contributes ({@link GradientPool}), from
 * the parameters copied at its start: a rejected step costs none, and the run is the same for any number of
 * gradient threads.
 */
class DeferredGradientsTest {
    private static final List<DataSet> TRAIN = TinyNets.blobs(40, 8, 3);
    private static final List<DataSet> TEST = TinyNets.blobs(4, 16, 4);

    private static TrainingReport run(Algorithm algorithm, ParameterStore.Kind store, int threads, boolean elastic) {
        int m = 12;
        Simulator.Builder b = new Simulator.Builder(m, StepTimes.parse("exp:1", m))
                .seed(9)
                .algorithm(algorithm)
                .store(store)
                .maxSteps(400)
                .evaluation(TinyNets.iterator(TEST), 100)
                .network(TinyNets.net(4), TRAIN)
                .gradientThreads(threads);
        if (algorithm == Algorithm.INTERVAL) {
            b.dispatch(org.dl4jasync.dispatch.DispatchSpec.Interval.fixed(6));
        }
        if (elastic) {
            b.elastic(org.dl4jasync.parallelism.ElasticSpec.Probing.DEFAULT);
        }
        return b.build().run();
    }

    private static String comparable(TrainingReport r) {
        return r.toJson().replaceAll("\"wall_seconds\" : [^,]+,", "").replaceAll("\"gradient_threads\" : [^,]+,", "");
    }

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({
        "interval, hogwild",
        "interval, leashed",
        "async, hogwild",
        "async, locked",
        "sync, hogwild",
        "elastic, hogwild"
    })
    void theRunIsTheSameForAnyNumberOfGradientThreads(String algorithm, String store) {
        boolean elastic = algorithm.equals("elastic"); // async with elastic parallelism
        Algorithm a = elastic ? Algorithm.ASYNC : Algorithm.valueOf(algorithm.toUpperCase());
        ParameterStore.Kind s = ParameterStore.Kind.valueOf(store.toUpperCase());
        TrainingReport inline = run(a, s, 0, elastic);
        assertThat(inline.accuracyTrace()).isNotEmpty();
        String expected = comparable(inline);
        assertThat(comparable(run(a, s, 1, elastic))).isEqualTo(expected);
        assertThat(comparable(run(a, s, 2, elastic))).isEqualTo(expected);
        assertThat(comparable(run(a, s, 3, elastic))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"0", "2"})
    void aRejectedStepCostsNoGradient(int threads) {
        TrainingReport r = run(Algorithm.INTERVAL, ParameterStore.Kind.HOGWILD, threads, false);
        assertThat(r.stepsRejected()).as("y = 6 with 12 workers rejects").isPositive();
        // every finished step applied (its gradient computed) or was rejected (none); steps in flight at the end
        // were started but never finished
        assertThat(r.gradientsComputed()).isEqualTo(r.stepsAccepted() + r.stepsDropped());
        assertThat(r.stepsStarted()).isGreaterThan(r.gradientsComputed() + r.stepsRejected() - 1);
    }

    @org.junit.jupiter.api.Test
    void onThreadsEveryStartedStepComputesItsGradient() {
        try (AsyncTrainer t = new AsyncTrainer.Builder(TinyNets.net(4))
                .workers(2)
                .dispatch(org.dl4jasync.dispatch.DispatchSpec.Interval.fixed(2))
                .maxSteps(200)
                .build()) {
            TrainingReport r = t.fit(TinyNets.iterator(TRAIN), 10);
            assertThat(r.gradientsComputed()).isEqualTo(r.stepsStarted());
        }
    }
}
