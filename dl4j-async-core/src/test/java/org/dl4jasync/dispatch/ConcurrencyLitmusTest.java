package org.dl4jasync.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;

/**
 * Runs the core's jcstress litmus tests (classes named {@code *Stress}: {@link WaitersHandshakeStress}) in jcstress's quick mode, on forked JVMs with its stress options, and
 * fails when any forbidden outcome was seen. A longer run: the same with {@code -Ddl4jasync.jcstressMode=default}.
 */
class ConcurrencyLitmusTest {
    @Test
    @Timeout(600)
    void jcstressTestsPass(@TempDir Path results) throws Exception {
        Options opts = new Options(new String[] {
            "-t",
            "org\\.dl4jasync\\..*Stress",
            "-m",
            System.getProperty("dl4jasync.jcstressMode", "quick"),
            "-r",
            results.toString()
        });
        opts.parse();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            new JCStress(opts).run();
        } finally {
            System.setOut(original);
            deleteResultBlobs(); // jcstress writes its raw results into the working directory
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        System.out.println(out);
        assertThat(out)
                .contains("RUN RESULTS")
                .contains("Failed tests: No matches.")
                .contains("Error tests: No matches.")
                .doesNotContain("Results: 0 planned");
    }

    private static void deleteResultBlobs() throws java.io.IOException {
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(Path.of("."))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith("jcstress-results-") && n.endsWith(".bin.gz")) {
                    java.nio.file.Files.deleteIfExists(p);
                }
            }
        }
    }
}
