package org.dl4jasync.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The work a run did, read from its report: gradients, discarded steps, uploads in all and to each target. */
class RunResultWorkTest {

    @Test
    void uploadsToATargetSumTheKOfEveryRoundClosedBeforeIt() throws Exception {
        // K = 2 for rounds 0–9, K = 3 from round 10, K = 5 from round 20; 70% first reached at round 25
        String json = "{\"algorithm\": \"abs\", \"workers\": 8, \"rounds\": 30, \"uploads\": 104,"
                + "\"gradients_computed\": 120, \"steps_rejected\": 6, \"steps_dropped\": 0,"
                + "\"k_trace\": [[0.0, 0, 2], [1.0, 10, 3], [2.0, 20, 5]],"
                + "\"accuracy_trace\": [[1.0, 12, 0.5], [2.5, 25, 0.71], [3.0, 30, 0.72]],"
                + "\"loss_trace\": [[0.5, 5, 2.0], [2.0, 20, 0.9]], \"staleness\": {}}";
        RunResult r = RunResult.of(
                new ObjectMapper().readTree(json),
                "abs",
                1,
                List.of(Target.accuracy(0.7), Target.accuracy(0.9), Target.lossFraction(0.5)),
                2.0);
        assertThat(r.work().uploadsTo(0)).isEqualTo(10 * 2 + 10 * 3 + 5 * 5);
        assertThat(r.work().uploadsTo(1)).isInfinite(); // never reached
        assertThat(r.work().uploadsTo(2)).isEqualTo(10 * 2 + 10 * 3); // loss 0.9 ≤ 0.5 × 2.0 at round 20
        assertThat(r.work().uploads()).isEqualTo(104);
        assertThat(r.work().gradients()).isEqualTo(120);
        assertThat(r.work().discarded()).isEqualTo(6);
    }

    @Test
    void aFixedKWithoutTraceAndAnAlgorithmWithoutRounds() throws Exception {
        String kasync = "{\"algorithm\": \"kasync\", \"rounds\": 9, \"uploads\": 37, \"config\": {\"kasync_k\": 4},"
                + "\"accuracy_trace\": [[1.0, 9, 0.8]], \"staleness\": {}}";
        RunResult k =
                RunResult.of(new ObjectMapper().readTree(kasync), "k", 1, List.of(Target.accuracy(0.7)), Double.NaN);
        assertThat(k.work().uploadsTo(0)).isEqualTo(36);
        String async = "{\"algorithm\": \"async\", \"steps_rejected\": 0, \"steps_dropped\": 0,"
                + "\"accuracy_trace\": [[1.0, 9, 0.8]], \"staleness\": {}}";
        RunResult a =
                RunResult.of(new ObjectMapper().readTree(async), "a", 1, List.of(Target.accuracy(0.7)), Double.NaN);
        assertThat(a.work().uploadsTo(0)).isNaN();
        assertThat(a.work().uploads()).isNaN();
    }
}
