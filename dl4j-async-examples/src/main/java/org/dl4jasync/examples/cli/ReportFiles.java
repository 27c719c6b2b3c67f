package org.dl4jasync.examples.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.dl4jasync.metrics.TrainingReport;

/** Writes a report to the {@code --json} and {@code --csv} files a run asked for. */
final class ReportFiles {
    private ReportFiles() {
    }

    /** Returns 0, or {@link Main#EXIT_FAILED} after one line on stderr when a file cannot be written. */
    static int write(String command, TrainingReport run, TrainOptions options) {
        Map<String, Object> config = new LinkedHashMap<>(run.config());
        config.put("json", options.json == null ? null : options.json.toString());
        config.put("csv", options.csv == null ? null : options.csv.toString());
        config.put("quiet", options.quiet);
        TrainingReport report = run.withConfig(config);
        try {
            if (options.json != null) {
                report.writeJson(options.json);
            }
            if (options.csv != null) {
                report.writeCsv(options.csv);
            }
            return 0;
        } catch (IOException e) {
            System.err.println("dl4j-async " + command + ": cannot write the report: " + e.getMessage());
            return Main.EXIT_FAILED;
        }
    }
}
