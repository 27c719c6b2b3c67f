package org.dl4jasync.checkpoint;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoints of a run in one directory: {@code checkpoint-NNNNNNNNNN.zip}, numbered in the order written. Writes
 * the next one atomically ({@link CheckpointFile#write}) and then deletes all but the newest {@code keep}; finds the
 * newest one that reads back intact, skipping (with a warning naming it) any that does not. Temporary files left by
 * a write that was killed are deleted.
 *
 * <p>Used by one writer at a time (the run's checkpoint thread); not thread-safe.
 */
public final class CheckpointDirectory {
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d{10})\\.zip");

    private final Path dir;
    private final int keep;

    /** A checkpoint read back, with its file. */
    public static final class Loaded {
        public final Path file;
        public final CheckpointFile.Contents contents;

        Loaded(Path file, CheckpointFile.Contents contents) {
            this.file = file;
            this.contents = contents;
        }
    }

    /** @param keep how many checkpoints to keep, ≥ 1 */
    public CheckpointDirectory(Path dir, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be >= 1, got " + keep);
        }
        this.dir = dir;
        this.keep = keep;
    }

    /**
     * Checks, before a run, that checkpoints can be written to {@code dir}: creates it (and its parents) if needed,
     * then creates and deletes a file in it.
     *
     * @throws IllegalArgumentException naming the directory and the reason (a regular file, a read-only file
     *                                  system, no permission, ...)
     */
    public static void checkWritable(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("checkpoint directory " + dir + " is not a directory");
        }
        Path probe = null;
        try {
            Files.createDirectories(dir);
            probe = Files.createTempFile(dir, "checkpoint-", ".zip.tmp"); // what a write's temporary is named
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new IllegalArgumentException("checkpoint directory " + dir + " cannot be written: " + reason(e), e);
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException ignored) {
                    // deleted with the next checkpoint's temporaries
                }
            }
        }
    }

    /** An exception's reason in a few words: the JDK's file-system exceptions put the path first. */
    static String reason(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "it cannot be created (" + e.getMessage() + ")";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file is in the way (" + e.getMessage() + ")";
        }
        if (e instanceof FileSystemException) {
            String r = ((FileSystemException) e).getReason();
            return r != null ? r : e.toString();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** Writes {@code c} as the next checkpoint, then prunes to the newest {@code keep}; returns its file. */
    public Path write(CheckpointFile.Contents c) throws IOException {
        Files.createDirectories(dir);
        List<Path> existing = checkpoints(dir);
        long next = existing.isEmpty() ? 1 : number(existing.get(0)) + 1;
        Path file = dir.resolve(String.format("checkpoint-%010d.zip", next));
        CheckpointFile.write(file, c);
        List<Path> all = checkpoints(dir);
        for (int i = keep; i < all.size(); i++) {
            Files.deleteIfExists(all.get(i));
        }
        deleteTemporaries(dir);
        return file;
    }

    /**
     * The newest checkpoint in {@code dir} that reads back intact; every newer one that does not is skipped with a
     * warning naming it and saying why. Empty when there is none (or no directory).
     */
    public static Optional<Loaded> newest(Path dir, Consumer<String> warn) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        List<Path> all;
        try {
            all = checkpoints(dir);
        } catch (IOException e) {
            warn.accept("cannot list checkpoints in " + dir + ": " + e.getMessage());
            return Optional.empty();
        }
        for (Path p : all) {
            try {
                return Optional.of(new Loaded(p, CheckpointFile.read(p)));
            } catch (IOException e) {
                warn.accept("skipping checkpoint " + p + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** The checkpoint files of {@code dir}, newest first. */
    static List<Path> checkpoints(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).forEach(out::add);
        }
        out.sort(Comparator.comparingLong(CheckpointDirectory::number).reversed());
        return out;
    }

    private static long number(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a checkpoint file: " + p);
        }
        return Long.parseLong(m.group(1));
    }

    private static void deleteTemporaries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith("checkpoint-") && n.endsWith(".zip.tmp")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
