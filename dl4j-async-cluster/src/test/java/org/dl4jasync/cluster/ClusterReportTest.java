package org.dl4jasync.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The merged report: counts and bytes added up, histograms added up with their statistics, the longest wall time. */
class ClusterReportTest {

    private static Map<String, Object> report(
            String member, long accepted, double wall, List<List<Long>> histogram, long sent) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", Map.of("seed", 1));
        r.put("workers", 2);
        r.put("steps_started", accepted + 1);
        r.put("steps_accepted", accepted);
        r.put("steps_rejected", 1L);
        r.put("steps_dropped", 0L);
        r.put("steps_non_finite", 0L);
        r.put("worker_seconds", wall * 2);
        r.put("wall_seconds", wall);
        r.put("steps_per_second", accepted / wall);
        r.put("staleness", Map.of("histogram", histogram));
        r.put("store_stats", Map.of("bytes_sent", sent, "bytes_received", 2 * sent));
        r.put("member", member);
        return r;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theMembersAddUp() {
        Map<String, Object> merged = ClusterReport.merge(
                List.of(
                        report("a", 10, 4.0, List.of(List.of(0L, 6L), List.of(1L, 4L)), 100),
                        report("b", 30, 5.0, List.of(List.of(1L, 20L), List.of(3L, 10L)), 300)),
                List.of("c"));
        assertThat(merged.get("steps_accepted")).isEqualTo(40L);
        assertThat(merged.get("steps_rejected")).isEqualTo(2L);
        assertThat(merged.get("workers")).isEqualTo(4L);
        assertThat((Double) merged.get("worker_seconds")).isEqualTo(18.0);
        assertThat(merged.get("wall_seconds")).isEqualTo(5.0);
        assertThat((Double) merged.get("steps_per_second")).isEqualTo(8.0);
        assertThat((Double) merged.get("acceptance_rate")).isEqualTo(40 / 42.0);
        Map<String, Object> s = (Map<String, Object>) merged.get("staleness");
        assertThat((List<long[]>) s.get("histogram"))
                .containsExactly(new long[] {0, 6}, new long[] {1, 24}, new long[] {3, 10});
        assertThat(s.get("max")).isEqualTo(3L);
        assertThat(s.get("p50")).isEqualTo(1L);
        assertThat((Double) s.get("mean")).isEqualTo((24 + 30) / 40.0);
        Map<String, Object> cluster = (Map<String, Object>) merged.get("store_stats");
        assertThat(cluster.get("bytes_sent")).isEqualTo(400L);
        assertThat(cluster.get("bytes_received")).isEqualTo(800L);
        assertThat(cluster.get("members_lost")).isEqualTo(List.of("c"));
        assertThat((List<?>) cluster.get("members")).hasSize(2);
        assertThat(merged.get("rounds"))
                .as("an asynchronous training has no rounds")
                .isNull();
    }

    @Test
    void theRoundsOfAKAsyncTrainingAddUp() {
        Map<String, Object> a = report("a", 10, 4.0, List.of(List.of(0L, 18L)), 100);
        Map<String, Object> b = report("b", 12, 4.0, List.of(List.of(0L, 20L), List.of(1L, 2L)), 100);
        a.put("rounds", 10L);
        a.put("uploads", 18L);
        a.put("restarts", 1L);
        b.put("rounds", 12L);
        b.put("uploads", 22L);
        b.put("restarts", 0L);
        Map<String, Object> merged = ClusterReport.merge(List.of(a, b), List.of());
        assertThat(merged.get("rounds")).isEqualTo(22L);
        assertThat(merged.get("uploads")).isEqualTo(40L);
        assertThat(merged.get("restarts")).isEqualTo(1L);
    }
}
