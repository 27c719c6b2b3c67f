package org.dl4jasync.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every suite in the repository's {@code suites/} parses and every run in it passes its command's checks. */
class ShippedSuitesTest {

    @Test
    void everyShippedSuiteIsValid() throws Exception {
        Path dir = Paths.get("..", "suites");
        assertThat(dir).isDirectory();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".json"))
                    .sorted()
                    .toList();
        }
        assertThat(files)
                .extracting(p -> p.getFileName().toString())
                .contains("fashion-quick.yaml", "fashion-lr-sweep.yaml", "cifar10-paper.yaml", "sim-scaling.yaml");
        for (Path f : files) {
            Suite suite = read(f);
            assertThat(suite.configurations()).as(f.toString()).isNotEmpty();
        }
        assertThat(read(dir.resolve("sim-scaling.yaml")).configurations()).hasSize(24);
        assertThat(read(dir.resolve("cifar10-paper.yaml")).configurations()).hasSize(13);
    }

    private static Suite read(Path f) throws IOException, org.dl4jasync.bench.compare.SuiteException {
        // compare runs a suite from the repository's root; the tests run in this module's directory, so the
        // suites' relative files (a measured:FILE step-time distribution) are taken from there
        return SuiteFile.read(
                f,
                (command, args) -> org.dl4jasync.examples.cli.RunCheck.check(
                        command, args.stream().map(ShippedSuitesTest::fromRoot).toList()));
    }

    private static String fromRoot(String arg) {
        int at = arg.indexOf("measured:");
        if (at < 0) {
            return arg;
        }
        String file = arg.substring(at + "measured:".length());
        return Paths.get(file).isAbsolute() ? arg : arg.substring(0, at) + "measured:" + Paths.get("..", file);
    }
}
