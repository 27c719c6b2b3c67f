package org.dl4jasync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.dl4jasync.dispatch.DispatchSpec;
import org.dl4jasync.dispatch.IntervalSchedule;
import org.dl4jasync.dispatch.RoundSpec;
import org.dl4jasync.parallelism.ElasticSearch;
import org.dl4jasync.parallelism.ElasticSpec;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.spec.InvalidOptionException;
import org.dl4jasync.stepsize.MindTheStepSize;
import org.dl4jasync.stepsize.Phi;
import org.dl4jasync.stepsize.StepSizeSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The typed specs: each checks its own values (naming the report key), the configuration the rules between
 * components, and the report's {@code config} has the same keys, in the same order, for every algorithm.
 */
class RunConfigSpecsTest {
    private static RunConfig.Builder m(int workers) {
        return RunConfig.builder().workers(workers);
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void everyAlgorithmReportsTheSameKeysInTheSameOrder(Algorithm a) {
        List<String> async = List.copyOf(m(4).build().provenance().keySet());
        Map<String, Object> c = m(4).algorithm(a).build().provenance();
        assertThat(List.copyOf(c.keySet())).isEqualTo(async);
        assertThat(c.get("algorithm")).isEqualTo(a.name().toLowerCase(java.util.Locale.ROOT));
        assertThat(m(4).algorithm(a).build().algorithm()).isEqualTo(a);
    }

    @Test
    void eachSpecReportsItsValuesAndTheDefaultsOfTheOthers() {
        Map<String, Object> decay = m(8).dispatch(DispatchSpec.Interval.of(16, new IntervalSchedule.Decay(2, 50, 3)))
                .build()
                .provenance();
        assertThat(decay)
                .containsEntry("interval_y", 16)
                .containsEntry("interval_policy", "decay")
                .containsEntry("y_decay_amount", 2)
                .containsEntry("y_decay_every", 50L)
                .containsEntry("y_min", 3)
                .containsEntry("probe_window", 16)
                .containsEntry("max_staleness", null)
                .containsEntry("local_steps", 1);
        assertThat(m(8).dispatch(DispatchSpec.Interval.auto(new IntervalSchedule.Fixed()))
                        .build()
                        .provenance())
                .containsEntry("interval_y", "auto");
        assertThat(m(8).algorithm(Algorithm.BOUNDED).build().provenance()).containsEntry("max_staleness", 8L);
        assertThat(m(8).dispatch(RoundSpec.KAsync.of(RoundSpec.KAsync.ALL))
                        .build()
                        .provenance())
                .containsEntry("kasync_k", 8)
                .containsEntry("kasync_adaptive", false);
        assertThat(m(8).algorithm(Algorithm.KASYNC).build().provenance()).containsEntry("kasync_k", 2);
        assertThat(m(8).dispatch(new RoundSpec.Abs(OptionalInt.empty(), OptionalDouble.of(Double.POSITIVE_INFINITY), 3))
                        .build()
                        .provenance())
                .containsEntry("abs_k0", 2)
                .containsEntry("abs_c", "inf")
                .containsEntry("local_steps", 3);
        Map<String, Object> tail = m(8).stepSize(new StepSizeSpec.Tail(
                        0.5,
                        Phi.SMOOTHSTEP,
                        new StepSizeSpec.Window(OptionalLong.of(5), OptionalInt.empty(), OptionalLong.empty(), true)))
                .build()
                .provenance();
        assertThat(tail)
                .containsEntry("step_size", "tail")
                .containsEntry("tail_amplitude", 0.5)
                .containsEntry("tail_phi", "smoothstep")
                .containsEntry("tail_warmup", 5L)
                .containsEntry("tail_refresh", "frozen")
                .containsEntry("mts_lambda", "workers")
                .containsEntry("normalize", false);
        Map<String, Object> elastic =
                m(8).elastic(ElasticSpec.Probing.of(3, 2)).build().provenance();
        assertThat(elastic)
                .containsEntry("algorithm", "elastic")
                .containsEntry("parallelism", "elastic")
                .containsEntry("elastic_ip", 3)
                .containsEntry("elastic_dp", 2);
        assertThat(m(8).algorithm(Algorithm.INTERVAL)
                        .elastic(ElasticSpec.Probing.DEFAULT)
                        .build()
                        .provenance())
                .containsEntry("algorithm", "interval")
                .containsEntry("parallelism", "elastic");
        assertThat(m(8).build().provenance())
                .containsEntry("parallelism", "fixed")
                .containsEntry("elastic_ip", 100);
    }

    @Test
    void aSpecRefusesItsOwnBadValuesNamingTheReportKey() {
        assertKey(() -> DispatchSpec.Interval.fixed(0), "interval_y");
        assertKey(() -> new IntervalSchedule.Decay(0, 1, 1), "y_decay_amount");
        assertKey(() -> DispatchSpec.Interval.of(4, new IntervalSchedule.Decay(1, 1, 5)), "y_min");
        assertKey(() -> new IntervalSchedule.Probe(-1, 1, 1, 1), "probe_window");
        assertKey(() -> DispatchSpec.Bounded.of(-1), "max_staleness");
        assertKey(() -> new DispatchSpec.Ssp(-1), "ssp_slack");
        assertKey(() -> RoundSpec.KAsync.of(0), "kasync_k");
        assertKey(() -> new RoundSpec.KAsync(OptionalInt.empty(), false, 0), "local_steps");
        assertKey(() -> new RoundSpec.Abs(OptionalInt.empty(), OptionalDouble.of(0), 1), "abs_c");
        assertKey(() -> new StepSizeSpec.Tail(1.5, Phi.IDENTITY, StepSizeSpec.Window.DEFAULT), "tail_amplitude");
        assertKey(
                () -> new StepSizeSpec.Window(OptionalLong.empty(), OptionalInt.empty(), OptionalLong.of(3), true),
                "tail_refresh");
        assertKey(
                () -> new StepSizeSpec.Inverse(
                        false,
                        new StepSizeSpec.Window(OptionalLong.empty(), OptionalInt.of(9), OptionalLong.empty(), false)),
                "tail_window");
        assertKey(
                () -> new StepSizeSpec.MindTheStep(
                        OptionalDouble.empty(),
                        OptionalDouble.of(-1),
                        MindTheStepSize.Form.PRINTED,
                        false,
                        OptionalDouble.empty(),
                        StepSizeSpec.Window.DEFAULT),
                "mts_eta");
        assertKey(() -> ElasticSpec.Probing.of(0, 1), "elastic_ip");
        assertKey(
                () -> new ElasticSpec.Probing(1, 1, 1, ElasticSearch.LOG, OptionalInt.of(2), OptionalInt.empty()),
                "elastic_m0");
    }

    @Test
    void theRulesBetweenComponentsAndTheWorkerCountAreCheckedAtBuild() {
        assertKey(() -> m(4).dispatch(RoundSpec.KAsync.of(5)).build(), "kasync_k");
        assertKey(
                () -> m(4).dispatch(new RoundSpec.Abs(OptionalInt.of(5), OptionalDouble.empty(), 1))
                        .build(),
                "abs_k0");
        assertKey(
                () -> m(4).algorithm(Algorithm.SYNC)
                        .elastic(ElasticSpec.Probing.DEFAULT)
                        .build(),
                "parallelism");
        assertKey(
                () -> m(4).algorithm(Algorithm.SYNC)
                        .stepSize(new StepSizeSpec.Tail())
                        .build(),
                "step_size");
        assertKey(
                () -> m(4).algorithm(Algorithm.KASYNC)
                        .optimizerState(OptimizerState.SHARED)
                        .build(),
                "optimizer_state");
        assertKey(() -> m(4).store(ParameterStore.Kind.LOCKED).persistence(2).build(), "persistence");
        assertKey(() -> m(4).lossMonitor(LossSignal.EVAL).build(), "loss_monitor");
        assertKey(() -> m(4).checkpointEvery(10).build(), "checkpoint_every");
        assertKey(
                () -> m(4).elastic(new ElasticSpec.Probing(
                                1, 1, 1, ElasticSearch.PAPER, OptionalInt.of(5), OptionalInt.empty()))
                        .build(),
                "elastic_m0");
        // what is allowed builds
        assertThat(m(4).algorithm(Algorithm.INTERVAL)
                        .lossMonitor(LossSignal.EMA)
                        .elastic(ElasticSpec.Probing.DEFAULT)
                        .build()
                        .elastic())
                .isTrue();
        assertThat(m(4).dispatch(RoundSpec.KAsync.of(RoundSpec.KAsync.ALL))
                        .build()
                        .describe())
                .isEqualTo("kasync(K 4)/hogwild, 4 workers");
    }

    private static void assertKey(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String key) {
        assertThatThrownBy(call)
                .isInstanceOf(InvalidOptionException.class)
                .satisfies(e -> assertThat(((InvalidOptionException) e).key()).isEqualTo(key));
    }
}
