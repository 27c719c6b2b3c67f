package org.dl4jasync.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointStatesTest {
    record Inner(int[] ring, Double lastRate) {}

    record Outer(long phaseStart, double rate, Inner probe, List<Number[]> trace, Map<String, Object> policy) {}

    /** A component whose state nests another's as a tree (as the interval dispatcher its policy's). */
    static final class Component implements Checkpointable<Inner> {
        Inner restored;

        @Override
        public Inner checkpointState() {
            return new Inner(new int[] {3, 1}, Double.NaN);
        }

        @Override
        public void restoreState(Inner state) {
            restored = state;
        }

        @Override
        public Class<Inner> stateType() {
            return Inner.class;
        }
    }

    /** Through the JSON text, as a checkpoint file holds it. */
    private static Map<String, Object> throughFile(Map<String, Object> tree) throws Exception {
        ObjectMapper json = new ObjectMapper();
        @SuppressWarnings("unchecked")
        Map<String, Object> back = json.readValue(json.writeValueAsString(tree), Map.class);
        return back;
    }

    @Test
    void aStateGoesThroughTheFileWithSnakeCaseKeysAndNonFiniteValues() throws Exception {
        Component policy = new Component();
        Outer out = new Outer(
                7,
                Double.POSITIVE_INFINITY,
                new Inner(new int[] {1, 2}, null),
                List.<Number[]>of(new Number[] {0.5, 10L, null}),
                CheckpointStates.of(policy));
        Map<String, Object> tree = throughFile(CheckpointStates.tree(out));
        assertThat(tree).containsOnlyKeys("phase_start", "rate", "probe", "trace", "policy");
        assertThat(tree.get("rate")).isEqualTo("Infinity");

        Outer back = CheckpointStates.read(tree, Outer.class);
        assertThat(back.phaseStart()).isEqualTo(7);
        assertThat(back.rate()).isInfinite();
        assertThat(back.probe().ring()).containsExactly(1, 2);
        assertThat(back.probe().lastRate()).isNull();
        assertThat(back.trace().get(0)[0].doubleValue()).isEqualTo(0.5);
        assertThat(back.trace().get(0)[1].longValue()).isEqualTo(10);
        assertThat(back.trace().get(0)[2]).isNull();

        Component other = new Component();
        CheckpointStates.restore(other, back.policy());
        assertThat(other.restored.ring()).containsExactly(3, 1);
        assertThat(other.restored.lastRate()).isNaN();
    }

    @Test
    void anAbsentBoxedComponentReadsAsNullAnAbsentPrimitiveAndAnUnknownKeyAreRefused() {
        Map<String, Object> old = new LinkedHashMap<>();
        old.put("ring", List.of(1));
        assertThat(CheckpointStates.read(old, Inner.class).lastRate()).isNull();

        Map<String, Object> foreign = new LinkedHashMap<>(old);
        foreign.put("window", 3);
        assertThatThrownBy(() -> CheckpointStates.read(foreign, Inner.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a Inner state:")
                .hasMessageContaining("window");

        Map<String, Object> noPrimitive = new LinkedHashMap<>();
        noPrimitive.put("rate", 1.0);
        assertThatThrownBy(() -> CheckpointStates.read(noPrimitive, Outer.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("phase_start");

        Map<String, Object> wrongType = new LinkedHashMap<>(old);
        wrongType.put("ring", "ten");
        assertThatThrownBy(() -> CheckpointStates.read(wrongType, Inner.class))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nothingIsWrittenOrRestoredForAComponentWithoutState() {
        assertThat(CheckpointStates.of(new Object())).isNull();
        assertThat(CheckpointStates.tree(null)).isNull();
        Component c = new Component();
        CheckpointStates.restore(c, null);
        assertThat(c.restored).isNull();
    }
}
