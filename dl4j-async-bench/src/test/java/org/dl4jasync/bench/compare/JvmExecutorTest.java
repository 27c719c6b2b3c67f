package org.dl4jasync.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmExecutorTest {

    @Test
    void projectEntriesAreCopiedSoALaterBuildCannotChangeTheSuitesCode(@TempDir Path tmp) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("project"));
        Path classes = Files.createDirectories(home.resolve("examples/target/classes/org/x"));
        Files.writeString(classes.resolve("A.class"), "version 1");
        Path coreJar = Files.writeString(
                Files.createDirectories(home.resolve("core/target")).resolve("core.jar"), "jar 1");
        Path outside = Files.writeString(tmp.resolve("dep.jar"), "dependency");
        String cp = String.join(
                File.pathSeparator,
                home.resolve("examples/target/classes").toString(),
                coreJar.toString(),
                outside.toString(),
                home.resolve("missing").toString());

        try (JvmExecutor executor = new JvmExecutor("Main", cp, home.toString())) {
            String[] entries = executor.classPath().split(File.pathSeparator);
            assertThat(entries).hasSize(4);
            assertThat(entries[0]).doesNotStartWith(home.toString());
            assertThat(entries[1]).doesNotStartWith(home.toString()).endsWith("core.jar");
            assertThat(entries[2]).isEqualTo(outside.toString());
            assertThat(entries[3]).isEqualTo(home.resolve("missing").toString());

            Files.writeString(classes.resolve("A.class"), "version 2"); // a build during the suite
            Files.writeString(coreJar, "jar 2");
            assertThat(Path.of(entries[0], "org/x/A.class")).hasContent("version 1");
            assertThat(Path.of(entries[1])).hasContent("jar 1");

            executor.close();
            assertThat(Path.of(entries[0])).doesNotExist();
            assertThat(Path.of(entries[1]).getParent()).doesNotExist();
        }
    }

    @Test
    void withoutAHomeEveryEntryIsKept(@TempDir Path tmp) throws Exception {
        String cp = tmp.resolve("a.jar") + File.pathSeparator + tmp.resolve("classes");
        try (JvmExecutor executor = new JvmExecutor("Main", cp, null)) {
            assertThat(executor.classPath()).isEqualTo(cp);
        }
    }
}
