package org.dl4jasync.parallelism;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.dl4jasync.metrics.LossMonitor;
import org.dl4jasync.spec.InvalidOptionException;

/**
 * Elastic parallelism (ElAsyncSGD): the active worker count set by a controller. A run without one has fixed
 * parallelism. Each record checks its values when it is built ({@link InvalidOptionException} naming the report key)
 * and those that need the worker count in {@link #check(int)}; {@link #provenance} writes the report keys of elastic
 * parallelism (with their defaults for a run with fixed parallelism: {@link #fixedProvenance}).
 */
public sealed interface ElasticSpec {
    /** The report's {@code parallelism}: {@code elastic} or {@code custom}. */
    String key();

    /** The rules that need the run's worker count {@code m}. */
    void check(int m);

    /**
     * One run's controller for {@code m} workers.
     *
     * @param monitor what the probing windows compare
     * @param search  what the search at the start compares (the log search)
     */
    ElasticController create(int m, LossMonitor monitor, LossMonitor search);

    /** Whether the controller reads the run's loss monitor (the built-in one does; a custom one has its own). */
    default boolean readsLoss() {
        return false;
    }

    void provenance(Map<String, Object> c);

    /** The report keys of elastic parallelism for a run with fixed parallelism. */
    static void fixedProvenance(Map<String, Object> c) {
        Probing.DEFAULT.provenance(c);
        c.put("parallelism", "fixed");
    }

    /**
     * The paper's controller (ElasticController, ElAsyncSGD Algorithm D.2): execution phases of {@code ip}·m and
     * probing phases of {@code dp}·m accepted steps per level, {@code wp} levels on each side.
     *
     * @param m0              the first active count; empty: ⌈m/2⌉ (with the log search: its result)
     * @param baselineWorkers report the break-even time against a constant-M run's worker-seconds; empty: none
     */
    record Probing(int ip, int dp, int wp, ElasticSearch search, OptionalInt m0, OptionalInt baselineWorkers)
            implements ElasticSpec {
        public static final Probing DEFAULT =
                new Probing(100, 10, 1, ElasticSearch.PAPER, OptionalInt.empty(), OptionalInt.empty());

        public Probing {
            atLeast("elastic_ip", ip);
            atLeast("elastic_dp", dp);
            atLeast("elastic_wp", wp);
            Objects.requireNonNull(search, "search");
            Objects.requireNonNull(m0, "m0");
            Objects.requireNonNull(baselineWorkers, "baselineWorkers");
            m0.ifPresent(v -> {
                if (v < 1) {
                    throw new InvalidOptionException("elastic_m0", v, "an integer in [1, {workers}]");
                }
                if (search == ElasticSearch.LOG) {
                    throw new InvalidOptionException(
                            "elastic_m0", v, "only with {elastic_search} paper (the log search starts at 1 worker)");
                }
            });
            baselineWorkers.ifPresent(v -> atLeast("baseline_workers", v));
        }

        /** Execution phases of {@code ip}·m and probing phases of {@code dp}·m steps; otherwise the defaults. */
        public static Probing of(int ip, int dp) {
            return new Probing(ip, dp, DEFAULT.wp, DEFAULT.search, DEFAULT.m0, DEFAULT.baselineWorkers);
        }

        public Probing withWindow(int levels) {
            return new Probing(ip, dp, levels, search, m0, baselineWorkers);
        }

        public Probing withSearch(ElasticSearch s) {
            return new Probing(ip, dp, wp, s, m0, baselineWorkers);
        }

        private static void atLeast(String key, int v) {
            if (v < 1) {
                throw new InvalidOptionException(key, v, "an integer >= 1");
            }
        }

        @Override
        public String key() {
            return "elastic";
        }

        @Override
        public boolean readsLoss() {
            return true;
        }

        @Override
        public void check(int m) {
            if (m0.isPresent() && m0.getAsInt() > m) {
                throw new InvalidOptionException(
                        "elastic_m0", m0.getAsInt(), "an integer in [1, {workers} (" + m + ")]");
            }
        }

        @Override
        public ElasticController create(int m, LossMonitor monitor, LossMonitor searchMonitor) {
            return new ElasticController(m, this, monitor, searchMonitor, null);
        }

        @Override
        public void provenance(Map<String, Object> c) {
            c.put("parallelism", key());
            c.put("elastic_m0", m0.isPresent() ? m0.getAsInt() : null);
            c.put("elastic_ip", ip);
            c.put("elastic_dp", dp);
            c.put("elastic_wp", wp);
            c.put("elastic_search", search.name().toLowerCase(Locale.ROOT));
        }

        /** The report's {@code baseline_workers} (written apart: the report has it after the loss monitor). */
        public Integer baseline() {
            return baselineWorkers.isPresent() ? baselineWorkers.getAsInt() : null;
        }
    }

    /**
     * A controller of the library user's (bound to each run's dispatcher, sees every step; its loss monitor must be
     * fed too). It keeps state across runs: give each trainer its own.
     */
    record Custom(ElasticController controller) implements ElasticSpec {
        public Custom {
            Objects.requireNonNull(controller, "controller");
        }

        @Override
        public String key() {
            return "custom";
        }

        @Override
        public void check(int m) {
            if (controller.maxWorkers() != m) {
                throw new IllegalArgumentException("the elastic controller was built for m̂ = "
                        + controller.maxWorkers() + " workers but the run has " + m + "; build it with the same count");
            }
        }

        @Override
        public ElasticController create(int m, LossMonitor monitor, LossMonitor search) {
            return controller;
        }

        @Override
        public void provenance(Map<String, Object> c) {
            Probing.DEFAULT.provenance(c);
            c.put("parallelism", key());
        }
    }
}
