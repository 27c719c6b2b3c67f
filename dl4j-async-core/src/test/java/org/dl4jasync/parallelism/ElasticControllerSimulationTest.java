package org.dl4jasync.parallelism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.dl4jasync.dispatch.AsyncDispatcher;
import org.dl4jasync.metrics.LossMonitor;
import org.dl4jasync.metrics.StepListener;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.simulation.VirtualClock;
import org.dl4jasync.trainer.Simulator;
import org.junit.jupiter.api.Test;

/**
 * The controller in deterministic virtual time against a scripted loss: every applied update lowers the loss by
 * δ(m) = 1/(m·(1 + ((m − m*)/2)²)) at the active worker count m, so with throughput ≈ m/T the loss falls at a
 * rate ∝ 1/(1 + ((m − m*)/2)²) per second: a peak at m* (±1 costs 20% of the rate) with a slope everywhere, so the
 * ±1 probing can climb to it from any start. m* moves during the run.
 */
class ElasticControllerSimulationTest {
    private static final int MAX = 32;

    /** The scripted loss; m* = {@code peaks[k]} from accepted step {@code switchAt[k]} on. */
    static final class ScriptedLoss implements LossMonitor, StepListener {
        private final long[] switchAt;
        private final int[] peaks;
        private ElasticController controller;
        private double loss = 1e6;
        private long applied;

        ScriptedLoss(long[] switchAt, int[] peaks) {
            this.switchAt = switchAt;
            this.peaks = peaks;
        }

        int peak() {
            int p = peaks[0];
            for (int k = 0; k < switchAt.length; k++) {
                if (applied >= switchAt[k]) {
                    p = peaks[k];
                }
            }
            return p;
        }

        @Override
        public void onStep(int worker, long ticket, boolean accepted, long staleness, double scale, double l) {
            if (accepted) {
                int m = controller.workers();
                double d = (m - peak()) / 2.0;
                loss -= 1.0 / (m * (1 + d * d));
                applied++;
            }
        }

        @Override
        public double loss() {
            return loss;
        }
    }

    private static final class Run {
        final List<double[]> trace = new ArrayList<>();
        ElasticController controller;
        TrainingReport report;
    }

    private static Run run(long steps, long[] switchAt, int[] peaks, int m0) {
        return run(steps, switchAt, peaks, m0, ElasticSearch.PAPER);
    }

    private static Run run(long steps, long[] switchAt, int[] peaks, int m0, ElasticSearch search) {
        return run(steps, switchAt, peaks, m0, search, false);
    }

    /** @param flatWindows the windows compare a constant loss; the scripted loss is the search's only */
    private static Run run(
            long steps, long[] switchAt, int[] peaks, int m0, ElasticSearch search, boolean flatWindows) {
        Run out = new Run();
        ScriptedLoss loss = new ScriptedLoss(switchAt, peaks);
        VirtualClock clock = new VirtualClock();
        ElasticSpec.Probing spec = ElasticSpec.Probing.DEFAULT.withSearch(search);
        if (search == ElasticSearch.PAPER) {
            spec = new ElasticSpec.Probing(
                    spec.ip(), spec.dp(), spec.wp(), search, OptionalInt.of(m0), spec.baselineWorkers());
        }
        ParallelismListener traced = (s, n, m) -> out.trace.add(new double[] {s, n, m});
        ElasticController c = flatWindows
                ? new ElasticController(MAX, spec, () -> 1.0, loss, traced)
                : new ElasticController(MAX, spec, loss, null, traced);
        loss.controller = c;
        out.controller = c;
        out.report = new Simulator.Builder(MAX, StepTimes.parse("shifted-exp:0.95,0.05", MAX))
                .seed(3)
                .maxSteps(steps)
                .clock(clock)
                .stepListener(loss)
                .elastic(c) // bound to the run's dispatcher; sees each step after the loss did
                .build()
                .run();
        return out;
    }

    private static int levelAt(Run r, long accepted) {
        int m = -1;
        for (double[] p : r.trace) {
            if (p[1] <= accepted) {
                m = (int) p[2];
            }
        }
        return m;
    }

    @Test
    void findsThePeakFromAboveAndFromBelowAndStaysInRange() {
        for (int m0 : new int[] {16, 3, 30}) {
            Run r = run(60_000, new long[] {0}, new int[] {9}, m0);
            assertThat(r.trace).isNotEmpty();
            for (double[] p : r.trace) {
                assertThat((int) p[2]).isBetween(1, MAX);
            }
            // after the first probing phases: execution at m* (probing visits m* ± 1 briefly)
            long executing = r.trace.stream()
                    .filter(p -> p[1] > 30_000)
                    .filter(p -> p[2] == 9)
                    .count();
            assertThat(executing).as("m0 = %d", m0).isPositive();
            assertThat(levelAt(r, 60_000)).as("m0 = %d", m0).isBetween(8, 10);
            assertThat(r.controller.probingPhases()).isGreaterThan(3);
        }
    }

    @Test
    void logSearchFindsTheNeighbourhoodInALogarithmicNumberOfProbesThenFollowsThePaper() {
        Run r = run(60_000, new long[] {0}, new int[] {9}, 0, ElasticSearch.LOG);
        assertThat(r.controller.ladder()).containsExactly(1, 2, 4, 8, 16, 32);
        // rates ∝ 1/(1 + ((m − 9)/2)²): 1, 2, 4, 8 each faster than the last, 16 slower: stop, execute at 8
        int[] levels = r.trace.stream().limit(6).mapToInt(p -> (int) p[2]).toArray();
        assertThat(levels).containsExactly(1, 2, 4, 8, 16, 8);
        // D_P = 10·level accepted steps per probed level: the search is over after 10·(1 + 2 + 4 + 8 + 16) steps
        assertThat((long) r.trace.get(5)[1]).isBetween(310L, 320L);
        assertThat(levelAt(r, 60_000)).isBetween(8, 10);
        assertThat(r.report.config().get("elastic_search")).isEqualTo("log"); // the controller's own, built by hand
        // each measured level's rate, in search order: falling losses (negative) up to 8, then 16 slower
        String[] rates = ((String) r.report.config().get("elastic_search_rates")).split(",");
        assertThat(rates).hasSize(5);
        double[] rate = new double[5];
        for (int i = 0; i < 5; i++) {
            assertThat(rates[i]).startsWith(new int[] {1, 2, 4, 8, 16}[i] + ":");
            rate[i] = Double.parseDouble(rates[i].substring(rates[i].indexOf(':') + 1));
        }
        assertThat(rate[3]).isNegative().isLessThan(rate[2]).isLessThan(rate[4]);
        // the paper's start from m̂/2 = 16 takes longer to first execute at 8 … 10
        Run paper = run(60_000, new long[] {0}, new int[] {9}, 16);
        long logFirst = firstExecutionNearPeak(r);
        long paperFirst = firstExecutionNearPeak(paper);
        assertThat(logFirst).isLessThan(paperFirst);
    }

    @Test
    void theLogSearchCanCompareALossOfItsOwnAndTheWindowsTheMonitor() {
        // the search reads the scripted loss (peak 9) and stops at 8; the windows read a constant loss, so every
        // level ties with the centre and the controller stays at 8 (with the scripted loss it climbs to 9)
        Run r = run(60_000, new long[] {0}, new int[] {9}, 0, ElasticSearch.LOG, true);
        int[] levels = r.trace.stream().limit(6).mapToInt(p -> (int) p[2]).toArray();
        assertThat(levels).containsExactly(1, 2, 4, 8, 16, 8);
        assertThat(r.trace.stream().skip(5).mapToInt(p -> (int) p[2]).distinct().toArray())
                .containsOnly(7, 8, 9);
        assertThat(levelAt(r, 60_000)).isEqualTo(8);
        assertThat(r.controller.probingPhases()).isGreaterThan(3);
    }

    /** The accepted-step count at which the level first stays in [8, 10] for an execution phase (≥ 100·8 steps). */
    private static long firstExecutionNearPeak(Run r) {
        for (int i = 0; i + 1 < r.trace.size(); i++) {
            double[] p = r.trace.get(i);
            if (p[2] >= 8 && p[2] <= 10 && r.trace.get(i + 1)[1] - p[1] >= 800) {
                return (long) p[1];
            }
        }
        return Long.MAX_VALUE;
    }

    @Test
    void followsAPeakThatMoves() {
        Run r = run(120_000, new long[] {0, 40_000}, new int[] {20, 6}, 16);
        assertThat(levelAt(r, 39_000)).isBetween(19, 21);
        assertThat(levelAt(r, 120_000)).isBetween(5, 7);
        // worker-seconds reflect the smaller parallelism: fewer than all 32 workers over the whole run
        assertThat(r.report.workerSeconds()).isLessThan(MAX * r.report.virtualSeconds() * 0.7);
    }

    @Test
    void builderAndBindRejectBadSettings() {
        LossMonitor l = () -> 0;
        ElasticSpec.Probing d = ElasticSpec.Probing.DEFAULT;
        assertThatThrownBy(() -> new ElasticController(
                        8,
                        new ElasticSpec.Probing(
                                d.ip(), d.dp(), d.wp(), d.search(), OptionalInt.of(9), d.baselineWorkers()),
                        l,
                        null,
                        null))
                .hasMessageContaining("elastic_m0")
                .hasMessageContaining("(8)");
        assertThatThrownBy(() -> d.withWindow(0)).hasMessageContaining("elastic_wp");
        assertThatThrownBy(() -> ElasticSpec.Probing.of(100, 0)).hasMessageContaining("elastic_dp");
        assertThatThrownBy(() -> new ElasticController(0, l)).hasMessageContaining("m̂ (workers) must be >= 1");
        ElasticController c = new ElasticController(8, l);
        assertThatThrownBy(() -> c.bind(new AsyncDispatcher(4).active(), () -> 0))
                .hasMessageContaining("m̂ = 8");
        assertThat(c.window(1, false)).containsExactly(1, 2);
        assertThat(c.window(8, false)).containsExactly(8, 7);
        assertThat(c.window(4, false)).containsExactly(4, 3, 5);
        assertThat(c.window(4, true)).containsExactly(4, 5, 3);
        assertThat(c.window(8, true)).containsExactly(8, 7);
    }
}
