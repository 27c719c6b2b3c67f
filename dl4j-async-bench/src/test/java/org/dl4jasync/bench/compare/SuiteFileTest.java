package org.dl4jasync.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteFileTest {
    private final List<List<String>> checked = new ArrayList<>();
    private final SuiteFile.Checker accept = (command, args) -> checked.add(args);

    private Suite read(Path dir, String text) throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, text);
        return SuiteFile.read(f, accept);
    }

    @Test
    void readsDefaultsConfigurationsAndMatrixAxes(@TempDir Path dir) throws Exception {
        Suite s = read(
                dir,
                """
                # a comment
                name: demo
                seeds: [1, 2, 3]
                time_limit: 60
                targets: [0.8, 0.85]
                baseline: netfit
                defaults: {model: lenet, eval-every: 250, augment: true}
                configurations:
                  netfit: {algorithm: netfit, eval-every: null}
                  interval:
                    algorithm: interval
                    interval-y: [16, 64]
                    workers: [2, 4]
                """);
        assertThat(s.name()).isEqualTo("demo");
        assertThat(s.command()).isEqualTo("train");
        assertThat(s.seeds()).containsExactly(1L, 2L, 3L);
        assertThat(s.timeLimit().getAsDouble()).isEqualTo(60);
        assertThat(s.targets()).containsExactly(Target.accuracy(0.8), Target.accuracy(0.85));
        assertThat(s.baselines()).containsExactly("netfit");
        assertThat(s.configurations())
                .extracting(Suite.Configuration::name)
                .containsExactly(
                        "netfit",
                        "interval[interval-y=16, workers=2]",
                        "interval[interval-y=16, workers=4]",
                        "interval[interval-y=64, workers=2]",
                        "interval[interval-y=64, workers=4]");
        assertThat(s.configuration("netfit").args())
                .containsExactly("--model", "lenet", "--augment", "--algorithm", "netfit");
        assertThat(s.configurations().get(2).args())
                .containsExactly(
                        "--model",
                        "lenet",
                        "--eval-every",
                        "250",
                        "--augment",
                        "--algorithm",
                        "interval",
                        "--interval-y",
                        "16",
                        "--workers",
                        "4");
        assertThat(checked).hasSize(5);
    }

    @Test
    void jsonIsReadByTheSameParser(@TempDir Path dir) throws Exception {
        Suite s = read(
                dir,
                "{\"seeds\": [7], \"command\": \"simulate\", \"configurations\": {\"a\": {\"model\": " + "\"none\"}}}");
        assertThat(s.command()).isEqualTo("simulate");
        assertThat(s.name()).isEqualTo("s");
        assertThat(s.configuration("a").args()).containsExactly("--model", "none");
        assertThat(s.baselines()).isEmpty();
    }

    @Test
    void lossTargetsFollowTheAccuracyTargets(@TempDir Path dir) throws Exception {
        Suite s = read(dir, "seeds: [1]\nloss_targets: [0.5, 0.15]\ntargets: [0.8]\nconfigurations: {a: {}}\n");
        assertThat(s.targets())
                .containsExactly(Target.accuracy(0.8), Target.lossFraction(0.5), Target.lossFraction(0.15));
        assertThat(s.targets()).extracting(Target::label).containsExactly("80%", "loss 50%", "loss 15%");
    }

    @Test
    void aMatrixBaselinePairsConfigurationsWithTheSameAxes(@TempDir Path dir) throws Exception {
        Suite s = read(
                dir,
                """
                seeds: [1]
                baseline: async
                configurations:
                  async: {workers: [2, 4]}
                  interval: {workers: [2, 4]}
                  sweep: {interval-y: [16], workers: [2]}
                """);
        assertThat(s.baselines()).containsExactly("async");
        assertThat(s.baselineFor("async", "interval[workers=4]")).isEqualTo("async[workers=4]");
        assertThat(s.baselineFor("async", "async[workers=2]")).isEqualTo("async[workers=2]");
        assertThat(s.baselineFor("async", "sweep[interval-y=16, workers=2]"))
                .as("async's axes agree")
                .isEqualTo("async[workers=2]");
        assertThat(s.baselineFor("async", "sweep[interval-y=16, workers=8]"))
                .as("no async with 8 workers")
                .isNull();
        assertThat(Suite.base("interval[workers=4]")).isEqualTo("interval");
    }

    @Test
    void severalBaselinesAreAList(@TempDir Path dir) throws Exception {
        Suite s = read(dir, "seeds: [1]\nbaseline: [b, a]\nconfigurations: {a: {}, b: {}, c: {}}\n");
        assertThat(s.baselines()).containsExactly("b", "a");
    }

    @Test
    void badFilesNameTheFileTheEntryAndWhatIsAllowed(@TempDir Path dir) throws IOException {
        String ok = "seeds: [1]\nconfigurations: {a: {algorithm: async}}\n";
        assertBad(dir, ok + "colour: red\n", "unknown entry 'colour'; allowed: name, command, seeds");
        assertBad(dir, "seeds: []\nconfigurations: {a: {}}\n", "seeds: expected a non-empty list of integers");
        assertBad(dir, "seeds: [1, 1]\nconfigurations: {a: {}}\n", "seeds: 1 is listed twice");
        assertBad(dir, ok + "command: fit\n", "command: 'fit' is not allowed; expected train or simulate");
        assertBad(dir, ok + "targets: [80]\n", "targets: '80' is not an accuracy in (0, 1]");
        assertBad(
                dir,
                ok + "loss_targets: [1.0]\n",
                "loss_targets: '1.0' is not a fraction of the initial loss " + "in (0, 1)");
        assertBad(dir, ok + "loss_targets: 0.5\n", "loss_targets: expected a list, each a fraction");
        assertBad(dir, ok + "time_limit: -5\n", "time_limit: '-5' is not allowed; expected seconds > 0");
        assertBad(dir, ok + "baseline: sgd\n", "baseline: 'sgd' is not a configuration; expected one of a");
        assertBad(dir, ok + "baseline: [a, sgd]\n", "baseline: 'sgd' is not a configuration; expected one of a");
        assertBad(dir, "seeds: [1]\nconfigurations: {a: {seed: 3}}\n", "configurations.a: 'seed' is set by compare");
        assertBad(dir, "seeds: [1]\nconfigurations: [a, b]\n", "configurations: expected a mapping of names");
        assertBad(dir, "seeds: [1\n", "not valid YAML or JSON");
        Path f = dir.resolve("checked.yaml");
        Files.writeString(f, "seeds: [1]\nconfigurations: {a: {workers: 0}}\n");
        assertThatThrownBy(() -> SuiteFile.read(f, (c, a) -> {
                    throw new IllegalArgumentException("--workers: '0' is not allowed; expected an integer >= 1");
                }))
                .isInstanceOf(SuiteException.class)
                .hasMessage(f + ": configurations.a: --workers: '0' is not allowed; expected an integer >= 1");
    }

    private void assertBad(Path dir, String text, String message) throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, text);
        assertThatThrownBy(() -> SuiteFile.read(f, accept))
                .isInstanceOf(SuiteException.class)
                .hasMessageStartingWith(f.toString())
                .hasMessageContaining(message);
    }

    /** Before: the second configuration of one name silently replaced the first. */
    @Test
    void twoConfigurationsOfOneNameAreRefused(@TempDir Path dir) {
        assertThatThrownBy(
                        () -> read(
                                dir,
                                """
                seeds: [1]
                configurations:
                  async: {algorithm: async, workers: 2}
                  async: {algorithm: async, workers: 4}
                """))
                .isInstanceOf(SuiteException.class)
                .hasMessageContaining("Duplicate field 'async'");
    }

    /** Before: SnakeYAML's message took 9 lines (the offending line quoted, a caret under it). */
    @Test
    void aYamlErrorIsOneLine(@TempDir Path dir) {
        assertThatThrownBy(
                        () -> read(
                                dir,
                                """
                seeds: [1]
                configurations:
                  async: {algorithm: async
                  - broken
                """))
                .isInstanceOf(SuiteException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage())
                            .doesNotContain("\n")
                            .contains("not valid YAML or JSON")
                            .contains("line");
                    assertThat(e.getMessage().length()).isLessThan(400);
                });
    }
}
