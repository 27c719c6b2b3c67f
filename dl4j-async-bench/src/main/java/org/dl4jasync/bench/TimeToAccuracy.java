package org.dl4jasync.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.dl4jasync.examples.compare.Plots;
import org.dl4jasync.examples.compare.RunResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A table of test accuracy against training time from {@code train --json} reports: per report the throughput,
 * final and best test accuracy, the first time the accuracy trace reached each target ("—" when it never did;
 * the trace is sampled, so a time is that of the first evaluation at or above the target), and the accuracy of the
 * last evaluation at or before given times.
 *
 * <pre>bench/run TimeToAccuracy --targets 0.45,0.50 docs/results/cifar10-paper/*.json</pre>
 */
@Command(name = "TimeToAccuracy", mixinStandardHelpOptions = true,
        description = "Markdown table of time to accuracy targets from train --json reports.")
public final class TimeToAccuracy implements Callable<Integer> {
    @Option(names = "--targets", split = ",", defaultValue = "0.45,0.50", description = "Accuracy targets.")
    List<Double> targets;

    @Option(names = "--at", split = ",", defaultValue = "120,300,600",
            description = "Also the accuracy of the last evaluation at or before these seconds.")
    List<Double> at;

    @Parameters(paramLabel = "REPORT", arity = "1..*", description = "JSON reports of train --json.")
    List<Path> reports;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TimeToAccuracy()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ObjectMapper json = new ObjectMapper();
        PrintStream out = System.out;
        StringBuilder head = new StringBuilder("| run | steps/s | epochs | evaluations | final acc. | best acc. |");
        StringBuilder rule = new StringBuilder("| --- | ---: | ---: | ---: | ---: | ---: |");
        for (double t : targets) {
            head.append(String.format(Locale.ROOT, " time to %.0f%% |", 100 * t));
            rule.append(" ---: |");
        }
        for (double t : at) {
            head.append(String.format(Locale.ROOT, " acc. at %.0f s |", t));
            rule.append(" ---: |");
        }
        head.append(" mean τ | acceptance |");
        rule.append(" ---: | ---: |");
        out.println(head);
        out.println(rule);
        for (Path p : reports) {
            RunResult r = RunResult.read(p, name(p), 0, targets);
            int epochs = json.readTree(Files.readString(p)).path("epochs_completed").asInt();
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %.1f | %d | %d | %s | %.4f |",
                    name(p), r.stepsPerSecond(), epochs, r.accuracyTrace().length, Double.isNaN(r.finalAccuracy())
                            ? "—" : String.format(Locale.ROOT, "%.4f", r.finalAccuracy()), r.bestAccuracy()));
            for (double t : r.timesToTargets()) {
                row.append(Double.isInfinite(t) ? " — |" : String.format(Locale.ROOT, " %.0f s |", t));
            }
            for (double t : at) {
                double last = Plots.valueAt(r.accuracyTrace(), t);
                row.append(Double.isNaN(last) ? " — |" : String.format(Locale.ROOT, " %.4f |", last));
            }
            row.append(Double.isNaN(r.stalenessMean()) ? " — |"
                    : String.format(Locale.ROOT, " %.2f |", r.stalenessMean()));
            row.append(String.format(Locale.ROOT, " %.3f |", r.acceptance()));
            out.println(row);
        }
        return 0;
    }

    private static String name(Path p) {
        String f = p.getFileName().toString();
        return f.endsWith(".json") ? f.substring(0, f.length() - 5) : f;
    }
}
