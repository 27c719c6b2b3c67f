package org.dl4jasync.spec;

/** The one-line range checks of the specs' constructors (as Caffeine's {@code requireArgument}). */
public final class Checks {
    private Checks() {}

    /** {@code value}, or {@link InvalidOptionException} for option {@code key} saying what is {@code expected}. */
    public static int atLeast(String key, int value, int min, String expected) {
        if (value < min) {
            throw new InvalidOptionException(key, value, expected);
        }
        return value;
    }

    /** {@code value}, or {@link InvalidOptionException} for option {@code key} saying what is {@code expected}. */
    public static long atLeast(String key, long value, long min, String expected) {
        if (value < min) {
            throw new InvalidOptionException(key, value, expected);
        }
        return value;
    }
}
