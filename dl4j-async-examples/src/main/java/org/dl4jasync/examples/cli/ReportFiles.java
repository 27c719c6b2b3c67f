package org.dl4jasync.examples.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dl4jasync.metrics.TrainingReport;

/** Writes a report to the {@code --json} and {@code --csv} files a run asked for. */
public final class ReportFiles {
    private ReportFiles() {}

    /**
     * Checks, before a run, that the {@code --json} and {@code --csv} files can be written (a run is not lost to a
     * report path that fails at its end): the parent directory exists and the file can be opened for writing (an
     * existing file is left as it is, a new one is removed again).
     *
     * @throws UsageException naming the option, the path and the reason
     */
    static void checkWritable(TrainOptions options) {
        checkWritable("--json", options.json);
        checkWritable("--csv", options.csv);
    }

    static void checkWritable(String option, Path file) {
        if (file == null) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new UsageException(option + ": " + file + " is a directory");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new UsageException(
                    option + ": " + file + " cannot be written: its directory " + parent + " does not exist");
        }
        boolean existed = Files.exists(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            // opened for writing without truncating: nothing written yet
        } catch (IOException | SecurityException e) {
            throw new UsageException(option + ": " + file + " cannot be written: " + reason(e));
        } finally {
            if (!existed) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // an empty file is left; the run writes it at its end
                }
            }
        }
    }

    /**
     * Checks that {@code dir} is, or can be made, a writable directory (creating it); for {@code compare --out}.
     *
     * @throws UsageException naming the option, the path and the reason
     */
    public static void checkDirectory(String option, Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UsageException(option + ": " + dir + " is not a directory");
        }
        Path probe = null;
        try {
            Files.createDirectories(dir);
            probe = Files.createTempFile(dir, ".write-check", ".tmp");
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            throw new UsageException(option + ": " + dir + " cannot be written: " + reason(e));
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException ignored) {
                    // harmless: an empty hidden file
                }
            }
        }
    }

    private static String reason(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException || e instanceof FileAlreadyExistsException) {
            return "it cannot be created (" + e.getMessage() + " is in the way or missing)";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        return e.toString();
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
