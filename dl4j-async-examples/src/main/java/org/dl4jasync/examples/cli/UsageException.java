package org.dl4jasync.examples.cli;

/** Bad usage or input: reported as one line on stderr with exit status 2. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String option, String value, String allowed) {
        super(option + ": '" + value + "' is not allowed; expected " + allowed);
    }

    public UsageException(String message) {
        super(message);
    }
}
