package org.dl4jasync.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.dl4jasync.metrics.StalenessSection;
import org.dl4jasync.metrics.TrainingReport;

/**
 * One report for a cluster training: every member publishes its own report to the training's map
 * {@code <name>.reports} when it ends and waits for the report of every member that took part (a member that left
 * the cluster without one is named, not waited for); the coordinator ({@link #coordinates}: the oldest member there
 * that reported) merges them: the counts, worker-seconds, gradients and batches added up, the staleness histograms added up (with the
 * statistics of the sum), the wall time the longest member's, the bytes every member sent and received, and each
 * member's own line. The coordinator's evaluation (accuracy, loss traces) stays: it evaluated the cluster's
 * parameters.
 */
public final class ClusterReport {
    private ClusterReport() {}

    private static final List<String> SUMMED = List.of(
            "workers",
            "steps_started",
            "steps_accepted",
            "steps_rejected",
            "steps_dropped",
            "steps_non_finite",
            "batches_processed",
            "gradients_computed",
            "worker_seconds",
            "rounds",
            "uploads",
            "restarts");

    /** The members that train on store {@code name}: registered by each member's store. */
    static IMap<UUID, String> participants(HazelcastInstance member, String name) {
        return member.getMap(name + ".participants");
    }

    /** Publishes this member's report for the coordinator. */
    public static void publish(HazelcastInstance member, String name, TrainingReport report) {
        IMap<UUID, String> reports = member.getMap(name + ".reports");
        reports.put(member.getCluster().getLocalMember().getUuid(), report.toJson());
    }

    /**
     * Waits until every member that took part has published its report or left the cluster, then merges the
     * reports. Polls; returns when nothing more can come.
     */
    public static Map<String, Object> gather(HazelcastInstance member, String name) throws InterruptedException {
        IMap<UUID, String> reports = member.getMap(name + ".reports");
        Map<UUID, String> took = participants(member, name);
        for (; ; ) {
            Set<UUID> alive = member.getCluster().getMembers().stream()
                    .map(Member::getUuid)
                    .collect(Collectors.toSet());
            boolean waiting = false;
            for (UUID u : took.keySet()) {
                if (!reports.containsKey(u) && alive.contains(u)) {
                    waiting = true;
                }
            }
            if (!waiting) {
                break;
            }
            Thread.sleep(200);
        }
        List<Map<String, Object>> all = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        for (Map.Entry<UUID, String> e : Map.copyOf(took).entrySet()) {
            String json = reports.get(e.getKey());
            if (json == null) {
                lost.add(e.getValue());
            } else {
                all.add(parse(json, e.getValue()));
            }
        }
        UUID mine = member.getCluster().getLocalMember().getUuid();
        String first = reports.get(mine);
        if (first == null) {
            throw new IllegalStateException("the coordinator published no report of its own");
        }
        Map<String, Object> coordinator = parse(first, took.get(mine));
        all.removeIf(r -> r.get("member").equals(coordinator.get("member")));
        all.add(0, coordinator);
        return merge(all, lost);
    }

    /**
     * Whether this member coordinates: the oldest member of the cluster that took part and published its report
     * (member 0 while it is there; the next oldest when it was lost).
     */
    public static boolean coordinates(HazelcastInstance member, String name) {
        IMap<UUID, String> reports = member.getMap(name + ".reports");
        Map<UUID, String> took = participants(member, name);
        for (Member m : member.getCluster().getMembers()) { // oldest first
            if (took.containsKey(m.getUuid()) && reports.containsKey(m.getUuid())) {
                return m.localMember();
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json, String address) {
        try {
            Map<String, Object> r = new LinkedHashMap<>((Map<String, Object>) TrainingReport.parse(json));
            r.put("member", address);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("a member's report is not JSON", e);
        }
    }

    /**
     * The merged report of {@code reports} (the coordinator's first; each with its {@code member} address), naming
     * the members lost without a report.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(List<Map<String, Object>> reports, List<String> lost) {
        Map<String, Object> out = new LinkedHashMap<>(reports.get(0));
        out.remove("member");
        out.remove("step_time_samples");
        for (String k : SUMMED) {
            boolean any = false;
            double sum = 0;
            boolean integral = true;
            for (Map<String, Object> r : reports) {
                Object v = r.get(k);
                if (v instanceof Number n) {
                    any = true;
                    sum += n.doubleValue();
                    integral &= !(v instanceof Double || v instanceof Float);
                }
            }
            out.put(k, !any ? null : integral ? (Object) Math.round(sum) : (Object) sum);
        }
        double wall = reports.stream()
                .mapToDouble(r -> ((Number) r.get("wall_seconds")).doubleValue())
                .max()
                .orElse(0);
        out.put("wall_seconds", wall);
        long accepted = ((Number) out.get("steps_accepted")).longValue();
        long fates = accepted
                + ((Number) out.get("steps_rejected")).longValue()
                + ((Number) out.get("steps_dropped")).longValue()
                + ((Number) out.get("steps_non_finite")).longValue();
        out.put("acceptance_rate", fates == 0 ? 0.0 : accepted / (double) fates);
        out.put("steps_per_second", wall > 0 ? accepted / wall : 0.0);
        List<List<long[]>> histograms = new ArrayList<>();
        for (Map<String, Object> r : reports) {
            List<List<Number>> h = (List<List<Number>>) ((Map<String, Object>) r.get("staleness")).get("histogram");
            histograms.add(h.stream()
                    .map(e -> new long[] {e.get(0).longValue(), e.get(1).longValue()})
                    .toList());
        }
        StalenessSection s = StalenessSection.merged(histograms);
        Map<String, Object> staleness = new LinkedHashMap<>();
        staleness.put("histogram", s.histogram());
        staleness.put("mean", s.mean());
        staleness.put("p50", s.p50());
        staleness.put("p99", s.p99());
        staleness.put("max", s.max());
        out.put("staleness", staleness);
        long sent = 0;
        long received = 0;
        List<Map<String, Object>> members = new ArrayList<>();
        for (Map<String, Object> r : reports) {
            Map<String, Object> stats = (Map<String, Object>) r.get("store_stats");
            if (stats != null) {
                sent += ((Number) stats.get("bytes_sent")).longValue();
                received += ((Number) stats.get("bytes_received")).longValue();
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("member", r.get("member"));
            m.put("workers", r.get("workers"));
            m.put("stop_reason", r.get("stop_reason"));
            m.put("steps_accepted", r.get("steps_accepted"));
            if (r.get("rounds") != null) {
                m.put("rounds", r.get("rounds"));
                m.put("uploads", r.get("uploads"));
                m.put("restarts", r.get("restarts"));
            }
            m.put("wall_seconds", r.get("wall_seconds"));
            m.put("steps_per_second", r.get("steps_per_second"));
            m.put("seed", ((Map<String, Object>) r.get("config")).get("seed"));
            m.put("store_stats", stats);
            members.add(m);
        }
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("members_reporting", reports.size());
        cluster.put("members_lost", lost);
        cluster.put("bytes_sent", sent);
        cluster.put("bytes_received", received);
        cluster.put("bytes_sent_per_update", accepted == 0 ? null : sent / (double) accepted);
        cluster.put("members", members);
        out.put("store_stats", cluster);
        return out;
    }
}
