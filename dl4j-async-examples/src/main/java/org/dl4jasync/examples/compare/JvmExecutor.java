package org.dl4jasync.examples.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs each command in a fresh JVM (same Java, class path and maximum heap as this one; the environment, with its
 * {@code OMP_NUM_THREADS}, is inherited), its output in a log file next to the report.
 */
public final class JvmExecutor implements Comparison.Executor {
    private final String mainClass;

    public JvmExecutor(String mainClass) {
        this.mainClass = mainClass;
    }

    @Override
    public int run(List<String> args, Path log) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx" + Runtime.getRuntime().maxMemory() / (1024 * 1024) + "m");
        String home = System.getProperty("dl4jasync.home");
        if (home != null) {
            cmd.add("-Ddl4jasync.home=" + home);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            throw e;
        }
    }
}
