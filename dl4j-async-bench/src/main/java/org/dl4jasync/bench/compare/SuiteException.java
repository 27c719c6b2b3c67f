package org.dl4jasync.bench.compare;

/** A suite file that cannot be run: the message names the file, the entry and what is allowed. */
public final class SuiteException extends Exception {
    private static final long serialVersionUID = 1L;

    public SuiteException(String message) {
        super(message);
    }
}
