package org.dl4jasync.examples.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** The data set's files are not where they were looked for; the message lists every place searched. */
public final class DataNotFoundException extends IOException {
    private static final long serialVersionUID = 1L;

    public DataNotFoundException(String dataset, List<String> expectedFiles, List<Path> searched) {
        this(dataset, expectedFiles, searched, null);
    }

    /** @param hint where to get the data, appended after the places searched (null: none) */
    public DataNotFoundException(String dataset, List<String> expectedFiles, List<Path> searched, String hint) {
        super(dataset + " not found: looked for " + String.join(", ", expectedFiles) + " in "
                + searched.stream().map(Path::toString).collect(Collectors.joining(", "))
                + (searched.size() > 1 ? " (in that order)" : "") + (hint == null ? "" : "; " + hint));
    }
}
