package org.dl4jasync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Progress in logs: without a terminal (the tests have none, as CI logs, {@code nohup} and {@code | tee}), plain
 * status lines with no carriage return; in a terminal, the bar's message keeps "steps/s" and "loss" apart.
 */
class ProgressLinesTest {
    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    @Test
    void trainWithoutATerminalPrintsPlainStatusLines() {
        int code = Main.run("train", "--max-steps", "300");
        assertThat(code).isZero();
        String err = console.err();
        assertThat(err).doesNotContain("\r");
        List<String> lines = err.lines().filter(l -> l.startsWith("train ")).toList();
        assertThat(lines).as(err).isNotEmpty();
        assertThat(lines.get(lines.size() - 1))
                .as("the last line says where the run ended")
                .matches("train 300/300 steps \\(100%\\), [0-9.]+ steps/s, loss [0-9.]+, τ̄ [0-9.]+, ETA 0:00:00");
    }

    @Test
    void linesComeEveryFewSecondsAndAtTheEnd() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ConsoleProgress p = new ConsoleProgress(false, err)) {
            for (int i = 1; i <= 100; i++) { // 0.2 s apart: 20 s in all
                p.onProgress(i * 0.2, i * 10L, 1000, 0.5, 2.0);
            }
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(5); // at 0.2 s, 5.2 s, 10.2 s, 15.2 s, and at the end (20 s)
        assertThat(lines.get(0)).isEqualTo("train 10/1000 steps (1%), 50.0 steps/s, loss 0.500, τ̄ 2.00, ETA 0:00:20");
        assertThat(lines.get(4))
                .isEqualTo("train 1000/1000 steps (100%), 50.0 steps/s, loss 0.500, τ̄ 2.00, ETA 0:00:00");
    }

    @Test
    void anUnknownTotalHasNoPercentageOrEta() {
        assertThat(ConsoleProgress.line(2, 100, -1, Double.NaN, Double.NaN)).isEqualTo("train 100 steps, 50.0 steps/s");
    }

    @Test
    void theBarsMessageStartsWithASeparator() {
        assertThat(ConsoleProgress.extra(0.25, 1.5)).isEqualTo(" · loss 0.250 · τ̄ 1.50");
        assertThat(ConsoleProgress.extra(Double.NaN, Double.NaN)).isEmpty();
    }
}
