package org.dl4jasync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dl4jasync.metrics.TrainingReport;

/**
 * One {@code train} command in a JVM of its own (the bench's class path, Hazelcast's {@code --add-opens}, one OpenMP
 * thread), its output in a log beside its JSON report; the report as a map.
 */
final class TrainProcess {
    private TrainProcess() {}

    /** Runs {@code train args… --quiet --json json}; fails naming the log when the command fails. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> run(List<String> args, Path json) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx2g",
                "--add-opens",
                "java.base/java.lang=ALL-UNNAMED",
                "--add-opens",
                "java.base/sun.nio.ch=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "org.dl4jasync.examples.cli.Main",
                "train"));
        cmd.addAll(args);
        cmd.addAll(List.of("--quiet", "--json", json.toString()));
        Path log = json.resolveSibling(json.getFileName() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        int status = pb.start().waitFor();
        if (status != 0) {
            throw new IllegalStateException("run failed (" + status + "): see " + log);
        }
        return parse(json);
    }

    /** A report written before (a resumed series). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(Path json) throws IOException {
        return (Map<String, Object>) TrainingReport.parse(Files.readString(json));
    }
}
