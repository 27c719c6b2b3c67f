package org.dl4jasync.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.trainer.Simulator;
import org.junit.jupiter.api.Test;

class ActiveWorkersTest {

    @Test
    void onlyWorkersBelowTheBoundMayStart() {
        for (Dispatcher d :
                new Dispatcher[] {new AsyncDispatcher(4), new IntervalDispatcher(4, IntervalPolicy.fixed(8), null)}) {
            d.setActiveWorkers(2);
            assertThat(d.activeWorkers()).isEqualTo(2);
            assertThat(d.tryStartStep(1)).isNotEqualTo(Dispatcher.NOT_NOW);
            assertThat(d.tryStartStep(2)).isEqualTo(Dispatcher.NOT_NOW);
            assertThat(d.tryStartStep(3)).isEqualTo(Dispatcher.NOT_NOW);
            assertThatThrownBy(() -> d.setActiveWorkers(0)).hasMessage("active workers must be in [1, 4], got 0");
            assertThatThrownBy(() -> d.setActiveWorkers(5)).hasMessage("active workers must be in [1, 4], got 5");
        }
    }

    @Test
    void inactiveWorkersStartNothingAndCountNoWorkerSeconds() {
        TrainingReport r = new Simulator.Builder(8, StepTimes.parse("constant:1", 8))
                .maxSteps(4_000)
                .dispatcher(m -> {
                    AsyncDispatcher d = new AsyncDispatcher(m);
                    d.setActiveWorkers(4);
                    return d;
                })
                .build()
                .run();
        assertThat(r.staleness().max()).as("4 active workers: τ ≤ 3").isEqualTo(3);
        assertThat(r.stepsPerSecond()).isCloseTo(4.0, within(0.01));
        assertThat(r.workerSeconds()).isCloseTo(4 * r.virtualSeconds(), within(0.01 * r.virtualSeconds()));
    }
}
