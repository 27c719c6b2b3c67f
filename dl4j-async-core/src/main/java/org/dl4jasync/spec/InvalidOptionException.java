package org.dl4jasync.spec;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run option with a value that is not allowed: names the option (its report key, e.g. {@code interval_y}), the
 * value and what is allowed. The text of what is allowed may name other options as {@code {key}}; {@link #render}
 * spells every option name as its caller does (the command line as {@code --interval-y}), {@link #getMessage()} as
 * its key.
 */
public final class InvalidOptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private static final Pattern REF = Pattern.compile("\\{([a-z0-9_]+)}");

    private final String key;
    private final String value;
    private final String expected;

    public InvalidOptionException(String key, Object value, String expected) {
        super(render(key, String.valueOf(value), expected, UnaryOperator.identity()));
        this.key = key;
        this.value = String.valueOf(value);
        this.expected = expected;
    }

    /** The report key of the option, e.g. {@code workers}. */
    public String key() {
        return key;
    }

    public String value() {
        return value;
    }

    /** The message with every option name spelled by {@code name} (given a key such as {@code interval_y}). */
    public String render(UnaryOperator<String> name) {
        return render(key, value, expected, name);
    }

    private static String render(String key, String value, String expected, UnaryOperator<String> name) {
        Matcher m = REF.matcher(expected);
        StringBuilder allowed = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(allowed, Matcher.quoteReplacement(name.apply(m.group(1))));
        }
        m.appendTail(allowed);
        return name.apply(key) + ": '" + value + "' is not allowed; expected " + allowed;
    }
}
