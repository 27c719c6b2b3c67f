package org.dl4jasync.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicLong;

import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.trainer.Simulator;
import org.junit.jupiter.api.Test;

class AutoYPolicyTest {

    @Test
    void choosesFourTimesTheCalibratedMeanStalenessThenHandsOverToTheBasePolicy() {
        int m = 64;
        AutoYPolicy auto = new AutoYPolicy(8L * m, m, IntervalPolicy::fixed);
        AtomicLong violationsAfterCalibration = new AtomicLong();
        TrainingReport r = new Simulator.Builder(m, StepTimes.parse("shifted-exp:0.9,0.1", m)).seed(3)
                .maxSteps(50_000)
                .dispatcher(k -> new IntervalDispatcher(k, auto, null))
                .stepListener(auto)
                .stepListener((w, t, accepted, tau, scale, loss) -> {
                    if (accepted && auto.chosenY0() > 0 && tau > auto.chosenY0() - 1) {
                        violationsAfterCalibration.incrementAndGet();
                    }
                })
                .build().run();
        // plain async with m = 64 has E[τ] ≈ 63, so y0 ≈ 252
        assertThat(auto.chosenY0()).isCloseTo(4 * 63, within(15));
        assertThat(auto.name()).isEqualTo("auto+fixed");
        assertThat(violationsAfterCalibration.get()).isZero();
        // the target of the heuristic: about 80% accepted after calibration
        assertThat(r.acceptanceRate()).isCloseTo(0.8, within(0.05));
    }
}
