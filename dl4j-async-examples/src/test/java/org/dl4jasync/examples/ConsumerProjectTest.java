package org.dl4jasync.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DL4J user's project, built as the README's "Use it in your project" says: a separate Maven project
 * ({@code src/it/consumer}) with the README's dependency block, against this build's core jar (put in a local
 * repository of its own, the developer's local repository read behind it) and the backend it chose. Its
 * dependency tree has that backend and no other (the core forces none), and its program trains.
 */
class ConsumerProjectTest {
    private static final Path ROOT = Paths.get("").toAbsolutePath().getParent();
    private static final String VERSION = System.getProperty("dl4jasync.version", "0.1.0-SNAPSHOT");

    @Test
    void aProjectWithTheReadmesDependenciesResolvesOnlyItsBackendAndTrains(@TempDir Path tmp) throws Exception {
        Path coreJar = ROOT.resolve("dl4j-async-core/target/dl4j-async-core-" + VERSION + ".jar");
        assumeTrue(
                Files.isRegularFile(coreJar),
                "the core jar is built by the reactor's package phase before "
                        + "this module's tests (./mvnw -B verify); absent: " + coreJar);
        String localRepository = System.getProperty(
                "dl4jasync.localRepository",
                Paths.get(System.getProperty("user.home"), ".m2", "repository").toString());

        // the core as `install` would put it, in a repository of the test's own
        Path repo = tmp.resolve("repo");
        Path group = repo.resolve("org/dl4jasync");
        copy(
                ROOT.resolve("pom.xml"),
                group.resolve("dl4j-async-parent/" + VERSION + "/dl4j-async-parent-" + VERSION + ".pom"));
        copy(
                ROOT.resolve("dl4j-async-core/pom.xml"),
                group.resolve("dl4j-async-core/" + VERSION + "/dl4j-async-core-" + VERSION + ".pom"));
        copy(coreJar, group.resolve("dl4j-async-core/" + VERSION + "/dl4j-async-core-" + VERSION + ".jar"));

        // the consumer, with the README's dependency block at its marker
        Path consumer = tmp.resolve("consumer");
        Path source = ROOT.resolve("dl4j-async-examples/src/it/consumer");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                copy(f, consumer.resolve(source.relativize(f).toString()));
            }
        }
        String block = readmeDependencyBlock();
        assertThat(block).contains("<artifactId>dl4j-async-core</artifactId>").contains("<version>" + VERSION);
        Path pom = consumer.resolve("pom.xml");
        String consumerPom = Files.readString(pom);
        assertThat(consumerPom).contains("<!-- README -->");
        Files.writeString(pom, consumerPom.replace("<!-- README -->", block));

        Path tree = tmp.resolve("tree.txt");
        Path classpath = tmp.resolve("classpath.txt");
        // not offline: on a clean machine (CI) a plugin the consumer uses may not have been fetched yet when this
        // runs (the project's own build uses maven-dependency-plugin only after its tests); -nsu: the core comes
        // from the test's repository, never from a remote
        run(
                consumer,
                tmp.resolve("maven.log"),
                List.of(
                        ROOT.resolve("mvnw").toString(),
                        "-B",
                        "-q",
                        "-nsu",
                        "-Dmaven.repo.local=" + repo,
                        "-Dmaven.repo.local.tail=" + localRepository,
                        "package",
                        "-DskipTests",
                        "dependency:tree",
                        "-DoutputFile=" + tree,
                        "dependency:build-classpath",
                        "-Dmdep.outputFile=" + classpath,
                        "-Dmdep.includeScope=runtime"));

        String deps = Files.readString(tree);
        assertThat(deps)
                .contains("org.dl4jasync:dl4j-async-core:jar:" + VERSION + ":compile")
                .contains("org.nd4j:nd4j-native:jar:linux-x86_64:1.0.0-M2.1:compile")
                .as("the core brings no backend of its own (the project's CLI uses the oneDNN build)")
                .doesNotContain("onednn")
                .doesNotContain("nd4j-cuda")
                .doesNotContain("nd4j-native-platform");

        Path out = tmp.resolve("train.log");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        run(
                consumer,
                out,
                List.of(
                        java,
                        "-Xmx1g",
                        "-cp",
                        consumer.resolve("target/classes") + ":"
                                + Files.readString(classpath).trim(),
                        "consumer.Train"));
        String printed = Files.readString(out);
        assertThat(printed).contains("backend CpuBackend").contains("accepted 200 stop MAX_STEPS");
        Matcher accuracy = Pattern.compile("accuracy ([0-9.]+)").matcher(printed);
        assertThat(accuracy.find()).as(printed).isTrue();
        assertThat(Double.parseDouble(accuracy.group(1)))
                .as("a separable problem after 200 steps")
                .isGreaterThan(0.8);
    }

    /** The first {@code xml} block of the README's "Use it in your project" section. */
    private static String readmeDependencyBlock() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int section = readme.indexOf("## Use it in your project");
        assertThat(section).as("the README's section").isNotNegative();
        int start = readme.indexOf("```xml\n", section);
        int end = readme.indexOf("```", start + 7);
        assertThat(start).isPositive();
        return readme.substring(start + 7, end);
    }

    private static void run(Path dir, Path log, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("did not end within 10 minutes: " + command);
        }
        assertThat(p.exitValue())
                .as(String.join(" ", command) + "\n" + Files.readString(log, StandardCharsets.UTF_8))
                .isZero();
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to);
    }
}
