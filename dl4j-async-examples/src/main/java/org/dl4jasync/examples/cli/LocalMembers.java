package org.dl4jasync.examples.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The member JVMs that {@code train --local-members N} starts beside itself (member 0): each runs the same
 * {@code train} command as a member of the loopback cluster ({@code --cluster} with the N addresses,
 * {@code --member-index k}; as every member, it writes its own report to {@code FILE.member-k.json}), no UI and no
 * saved model, its output in {@code member-k.log} of a temporary directory. Each child ends with this process
 * ({@link ParentWatch}).
 */
final class LocalMembers {
    /** The options a child does not get: the launcher's own, and those that write what member 0 writes. */
    private static final Set<String> DROPPED =
            Set.of("--local-members", "--cluster-interface", "--ui", "--save-model", "--member-index", "--quiet");

    private final List<Process> children = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();

    private LocalMembers() {}

    /** Starts members 1..n−1 with the train command's {@code args} (as given, without the command's name). */
    static LocalMembers start(List<String> args, List<String> addresses) throws IOException {
        LocalMembers m = new LocalMembers();
        Path dir = Files.createTempDirectory("dl4j-async-members");
        String java = ProcessHandle.current().info().command().orElse("java");
        for (int k = 1; k < addresses.size(); k++) {
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(jvmOptions());
            cmd.addAll(List.of(
                    "-D" + ParentWatch.PARENT_PID + "="
                            + ProcessHandle.current().pid(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    Main.class.getName(),
                    "train"));
            cmd.addAll(childArgs(args));
            cmd.addAll(List.of(
                    "--cluster",
                    String.join(",", addresses),
                    "--cluster-interface",
                    "127.0.0.1",
                    "--member-index",
                    String.valueOf(k),
                    "--quiet"));
            Path log = dir.resolve("member-" + k + ".log");
            ProcessBuilder pb =
                    new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("OMP_NUM_THREADS", "1");
            m.children.add(pb.start());
            m.logs.add(log);
        }
        return m;
    }

    /** This JVM's options (heap, module openings), for the members: not a debugger's or a compare child's. */
    private static List<String> jvmOptions() {
        List<String> out = new ArrayList<>();
        for (String o : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!o.startsWith("-agentlib")
                    && !o.startsWith("-javaagent")
                    && !o.startsWith("-D" + ParentWatch.PARENT_PID)
                    && !o.startsWith("-D" + ParentWatch.RUN_LOCK)) {
                out.add(o);
            }
        }
        return out;
    }

    /** {@code args} for member {@code k}: the launcher's options dropped. */
    static List<String> childArgs(List<String> args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            int eq = a.indexOf('=');
            String name = a.startsWith("--") && eq > 0 ? a.substring(0, eq) : a;
            boolean inline = eq > 0 && a.startsWith("--");
            String value = inline ? a.substring(eq + 1) : (i + 1 < args.size() ? args.get(i + 1) : null);
            if (DROPPED.contains(name)) {
                if (!inline
                        && !name.equals("--quiet")
                        && !(name.equals("--ui") && (value == null || value.startsWith("-")))) {
                    i++; // its value
                }
                continue;
            }
            out.add(a);
        }
        return out;
    }

    /** {@code report.json} → {@code report.member-k.json}. */
    static String memberPath(String path, int k) {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        int dot = path.lastIndexOf('.');
        return dot > slash + 1 ? path.substring(0, dot) + ".member-" + k + path.substring(dot) : path + ".member-" + k;
    }

    /** The members' processes (for tests). */
    List<Process> processes() {
        return children;
    }

    /**
     * Waits for every member to end; 0 when all succeeded, else the first failure's status, after saying which
     * member failed and where its output is.
     */
    int await() throws InterruptedException {
        int status = 0;
        for (int k = 0; k < children.size(); k++) {
            Process p = children.get(k);
            int s = p.waitFor();
            if (s != 0) {
                System.err.println("dl4j-async train: member " + (k + 1) + " ended with status " + s + "; its output: "
                        + logs.get(k));
                if (status == 0) {
                    status = s;
                }
            }
        }
        return status;
    }

    /** Ends the members still running (this process is ending early). */
    void destroy() {
        for (Process p : children) {
            p.destroy();
        }
        for (Process p : children) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
