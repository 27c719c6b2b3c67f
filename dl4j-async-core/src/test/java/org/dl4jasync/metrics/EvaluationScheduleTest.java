package org.dl4jasync.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EvaluationScheduleTest {

    @Test
    void bySteps() {
        EvaluationSchedule s = EvaluationSchedule.every(100, 0);
        assertThat(s.timed()).isFalse();
        assertThat(s.due(99, 1e9)).isFalse();
        assertThat(s.due(100, 0)).isTrue();
        s.evaluated(100, 0);
        assertThat(s.due(150, 0)).isFalse();
        assertThat(s.due(230, 0)).isTrue(); // a boundary passed by several updates at once
        s.evaluated(230, 0);
        assertThat(s.due(299, 0)).isFalse(); // next at 300, not 330
        assertThat(s.due(300, 0)).isTrue();
        assertThat(s.describe("updates")).isEqualTo("every 100 updates");
    }

    @Test
    void bySecondsSkipsBoundariesALongStepPassed() {
        EvaluationSchedule s = EvaluationSchedule.every(0, 0.25);
        assertThat(s.timed()).isTrue();
        assertThat(s.due(Long.MAX_VALUE - 1, 0.2499)).isFalse();
        assertThat(s.due(1, 0.25)).isTrue();
        s.evaluated(1, 0.25);
        assertThat(s.due(2, 0.26)).isFalse();
        assertThat(s.due(3, 0.81)).isTrue();
        s.evaluated(3, 0.81); // 0.5 and 0.75 were passed by one step: one evaluation, next at 1.0
        assertThat(s.due(4, 0.99)).isFalse();
        assertThat(s.due(4, 1.0)).isTrue();
        assertThat(s.describe("updates")).isEqualTo("every 0.25 s");
    }

    @Test
    void neverWhenNeitherIsGiven() {
        EvaluationSchedule s = EvaluationSchedule.every(0, 0);
        assertThat(s.due(Long.MAX_VALUE - 1, Double.MAX_VALUE)).isFalse();
        assertThat(s.describe("updates")).isEqualTo("only at the end");
    }
}
