package org.dl4jasync.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import org.dl4jasync.checkpoint.CheckpointStates;
import org.dl4jasync.config.LossSignal;
import org.dl4jasync.metrics.ReportBuilder;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.testing.TinyNets;
import org.dl4jasync.trainer.Simulator;
import org.junit.jupiter.api.Test;

class AutoYPolicyTest {

    /** Drives the policy through phases in which the loss falls at {@code rate(y)} per second. */
    private static final class Driver {
        double loss = 10;
        double time;
        final AutoYPolicy auto;

        Driver(int m, long phase) {
            auto = new AutoYPolicy(m, phase, () -> loss, () -> time, IntervalPolicy::fixed);
        }

        /** One phase at the current y; returns the next y. */
        int phase(int y, long steps, IntToDoubleFunction rate) {
            for (long i = 0; i < steps; i++) {
                auto.onStep(0, i, true, 0, 1, Double.NaN);
            }
            time += 1;
            loss -= rate.applyAsDouble(y);
            return auto.nextY(y, 0);
        }
    }

    @Test
    void searchesUpwardsOnALogScaleAndStopsAfterTwoSlowerCandidatesInARow() {
        Driver d = new Driver(64, 100);
        assertThat(d.auto.ladder()).containsExactly(2, 4, 8, 16, 32, 64, 128, 256); // up to 4m
        IntToDoubleFunction rate = y -> y <= 8 ? y : 8.0 / (y / 8); // fastest at 8, slower at 16 and 32
        int y = d.auto.initialY();
        assertThat(y).isEqualTo(2);
        int[] seen = new int[5];
        for (int i = 0; i < 5; i++) {
            seen[i] = y;
            y = d.phase(y, 100, rate);
        }
        assertThat(seen).containsExactly(2, 4, 8, 16, 32);
        assertThat(y).isEqualTo(8); // handed over to fixed(8)
        assertThat(d.auto.chosenY0()).isEqualTo(8);
        assertThat(d.auto.name()).isEqualTo("auto+fixed");
        assertThat(d.phase(8, 1, rate)).isEqualTo(8);
    }

    @Test
    void aPhaseLastsItsFinishedStepsWhateverTheIntervalEnds() {
        Driver d = new Driver(8, 100);
        assertThat(d.auto.ladder()).containsExactly(2, 4, 8, 16, 32);
        // 99 finished steps: still the first candidate, however many intervals ended
        assertThat(d.phase(2, 99, y -> y)).isEqualTo(2);
        assertThat(d.phase(2, 1, y -> y)).isEqualTo(4);
        // a candidate whose loss rises (1/s), but more slowly than the best made it fall (2/s), is not faster: one
        // such is forgiven, the second in a row stops the search, which keeps the best so far, 2
        assertThat(d.phase(4, 100, y -> -1)).isEqualTo(8);
        assertThat(d.phase(8, 100, y -> -1)).isEqualTo(2);
        assertThat(new Driver(1, 10).auto.ladder()).containsExactly(2, 4);
        assertThat(new Driver(2, 10).auto.ladder()).containsExactly(2, 4, 8);
    }

    @Test
    void oneSlowerCandidateIsForgivenTheSearchGoesOn() {
        // 4 measured slower than 2 (noise at small y), then every candidate faster up to 32, 64 diverging
        Driver d = new Driver(16, 10);
        IntToDoubleFunction rate = c -> c == 2 ? 0.0126 : c == 4 ? 0.0061 : c <= 32 ? c / 100.0 : -1;
        int y = d.auto.initialY();
        for (int i = 0; i < 6; i++) {
            y = d.phase(y, 10, rate);
        }
        assertThat(d.auto.chosenY0()).isEqualTo(16); // best 32, one rung back from the divergence at 64
        ReportBuilder report = new ReportBuilder();
        d.auto.report(report);
        assertThat(report.config()).containsEntry("interval_y_search", "2,4,8,16,32,64");
    }

    @Test
    void endsAtTheTopOfTheLadderWhenEveryCandidateIsFaster() {
        Driver d = new Driver(5, 10); // ladder up to 32, the first power of two >= 4m = 20
        int y = d.auto.initialY();
        for (int i = 0; i < 5; i++) {
            y = d.phase(y, 10, c -> c);
        }
        assertThat(d.auto.chosenY0()).isEqualTo(32);
        assertThat(y).isEqualTo(32);
    }

    @Test
    void stepsBackOneRungWhenTheSearchEndedOnADivergingCandidate() {
        // faster up to 16, then 32 makes the loss rise faster (20/s) than 16 made it fall (16/s): 16 sits next to
        // where the run diverged, y0 = 8
        Driver d = new Driver(64, 10);
        IntToDoubleFunction diverging = c -> c <= 16 ? c : -20;
        int y = d.auto.initialY();
        for (int i = 0; i < 5; i++) {
            y = d.phase(y, 10, diverging);
        }
        assertThat(d.auto.chosenY0()).isEqualTo(8);
        assertThat(y).isEqualTo(8);
        // the same search ended by a candidate that still converges (slower than 16, loss falling) keeps 16
        Driver e = new Driver(64, 10);
        IntToDoubleFunction slower = c -> c <= 16 ? c : 1;
        y = e.auto.initialY();
        for (int i = 0; i < 6; i++) { // 32 and 64 slower: two in a row
            y = e.phase(y, 10, slower);
        }
        assertThat(e.auto.chosenY0()).isEqualTo(16);
        // and so does one whose loss rose, but more slowly (15/s) than 16 made it fall: noise, not divergence
        Driver n = new Driver(64, 10);
        IntToDoubleFunction noisy = c -> c <= 16 ? c : -15;
        y = n.auto.initialY();
        for (int i = 0; i < 6; i++) {
            y = n.phase(y, 10, noisy);
        }
        assertThat(n.auto.chosenY0()).isEqualTo(16);
        assertThat(y).isEqualTo(16);
        // the report records the candidates and their rates (loss change per second; the rise positive)
        ReportBuilder report = new ReportBuilder();
        d.auto.report(report);
        assertThat(report.config())
                .containsEntry("interval_y_search", "2,4,8,16,32")
                .containsEntry("interval_y_search_rates", "2:-2.000,4:-4.000,8:-8.000,16:-16.00,32:20.00");
    }

    @Test
    void aCandidateWhoseLossRisesIsCutShortAtAnIntervalEnd() {
        Driver d = new Driver(64, 80);
        int y = d.auto.initialY();
        for (int i = 0; i < 3; i++) {
            y = d.phase(y, 80, c -> c / 10.0); // 2, 4, 8 each faster; the loss stays positive (10 → 8.6)
        }
        assertThat(y).isEqualTo(16);
        double start = d.loss; // 8.6; the best so far, 8, fell at 0.8/s
        // an interval ends after 10 of 80 steps (= phase / 8), 1 s into the phase: a 3% rise is not divergence
        d.loss = start * 1.03;
        assertThat(d.phase(16, 10, c -> 0)).isEqualTo(16);
        // nor is a 6% rise after 2 s: above 5%, but at 0.26/s, slower than the best fell (noise)
        d.loss = start * 1.06;
        assertThat(d.phase(16, 10, c -> 0)).isEqualTo(16);
        // nor is a check before another phase / 8 steps have finished, however high the loss
        d.loss = start * 2;
        assertThat(d.phase(16, 9, c -> 0)).isEqualTo(16);
        // the next check sees a rise of 100% (> 5%) at 2.15/s (> 0.8/s): the phase ends after 30 of its 80 steps,
        // the search too, one rung below the best (8)
        assertThat(d.phase(16, 1, c -> 0)).isEqualTo(4);
        assertThat(d.auto.chosenY0()).isEqualTo(4);
    }

    /** Reads of the monitor in the second candidate's phase, driven in 8 calls of 10 steps, each 1 s on. */
    private static int checkReads(double secondsPerRead) {
        double[] loss = {10};
        double[] time = {0};
        int[] reads = {0};
        AutoYPolicy auto = new AutoYPolicy(
                64,
                80,
                () -> {
                    reads[0]++;
                    time[0] += secondsPerRead;
                    return loss[0];
                },
                () -> time[0],
                IntervalPolicy::fixed);
        for (int i = 0; i < 80; i++) {
            auto.onStep(0, i, true, 0, 1, Double.NaN);
        }
        time[0] += 1;
        loss[0] -= 1;
        assertThat(auto.nextY(2, 0)).isEqualTo(4); // the first phase: no checks (nothing to judge by yet)
        int before = reads[0];
        for (int call = 0; call < 7; call++) {
            for (int i = 0; i < 10; i++) {
                auto.onStep(0, i, true, 0, 1, Double.NaN);
            }
            time[0] += 1;
            loss[0] -= 0.1;
            assertThat(auto.nextY(4, 0)).isEqualTo(4);
        }
        return reads[0] - before;
    }

    @Test
    void checksTakeAtMostATenthOfThePhasesTime() {
        assertThat(checkReads(0)).isEqualTo(7); // free reads (virtual time): a check every phase / 8 steps
        // a read that takes 0.45 s (the phase-end read before says so): a check waits until the phase has run
        // 10 × 0.45 s, and the next one until 10 × 0.9 s, beyond this phase
        assertThat(checkReads(0.45)).isEqualTo(1);
    }

    @Test
    void stepsThatFinishWhileTheLossIsReadAreNotTheNextCandidates() {
        // every read of the monitor lets 100 steps finish (rejected: no step is accepted while an interval ends)
        double[] loss = {10};
        AutoYPolicy[] auto = new AutoYPolicy[1];
        auto[0] = new AutoYPolicy(
                64,
                80,
                () -> {
                    for (int i = 0; auto[0] != null && i < 100; i++) {
                        auto[0].onStep(0, i, false, 0, 1, Double.NaN);
                    }
                    return loss[0];
                },
                () -> 0,
                IntervalPolicy::fixed);
        for (int i = 0; i < 80; i++) {
            auto[0].onStep(0, i, true, 0, 1, Double.NaN);
        }
        loss[0] -= 1;
        assertThat(auto[0].nextY(2, 0)).isEqualTo(4);
        for (int i = 0; i < 10; i++) {
            auto[0].onStep(0, i, true, 0, 1, Double.NaN);
        }
        // 10 of y = 4's 80 steps, not 110: its phase goes on
        assertThat(auto[0].nextY(4, 0)).isEqualTo(4);
    }

    @Test
    void checkpointStateResumesTheSearchWhereItWas() throws Exception {
        Driver d = new Driver(64, 10);
        int y = d.phase(2, 10, c -> c);
        y = d.phase(y, 10, c -> c);
        @SuppressWarnings("unchecked")
        Map<String, Object> state = new ObjectMapper()
                .readValue(
                        new ObjectMapper().writeValueAsString(CheckpointStates.of(d.auto)),
                        Map.class); // as a checkpoint keeps it
        Driver e = new Driver(64, 10);
        CheckpointStates.restore(e.auto, state);
        e.loss = d.loss;
        e.time = d.time;
        assertThat(e.phase(y, 10, c -> c)).isEqualTo(d.phase(y, 10, c -> c));
    }

    @Test
    void rejectsInvalidSettings() {
        assertThatThrownBy(() -> new AutoYPolicy(0, 10, () -> 0, () -> 0, IntervalPolicy::fixed))
                .hasMessageContaining("workers >= 1");
        assertThatThrownBy(() -> new AutoYPolicy(4, 0, () -> 0, () -> 0, IntervalPolicy::fixed))
                .hasMessageContaining("phase of >= 1 step");
    }

    @Test
    void aSimulatedRunWithRealGradientsChoosesAndReportsY0() {
        for (LossSignal monitor : LossSignal.values()) {
            Simulator.Builder b = new Simulator.Builder(16, StepTimes.parse("shifted-exp:0.9,0.1", 16))
                    .seed(2)
                    .dispatch(org.dl4jasync.dispatch.DispatchSpec.Interval.auto(
                            new org.dl4jasync.dispatch.IntervalSchedule.Fixed()))
                    .lossMonitor(monitor)
                    .maxSteps(500)
                    .network(TinyNets.net(2), TinyNets.blobs(40, 8, 2));
            if (monitor.needsHeldOut()) {
                b.heldOut(TinyNets.blobs(1, 64, 9).get(0));
            }
            TrainingReport r = b.build().run();
            Map<String, Object> config = r.config();
            assertThat(((Number) config.get("interval_y_chosen")).intValue())
                    .as(monitor.name())
                    .isIn(2, 4, 8, 16, 32, 64);
            assertThat((String) config.get("interval_y_search"))
                    .as(monitor.name())
                    .startsWith("2,4");
            assertThat(r.stepsAccepted()).isEqualTo(500);
        }
    }
}
