package org.dl4jasync.spec;

import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The text form of the run options' enumerated choices: the constant's name in lower case. */
public final class Choice {
    private Choice() {}

    /** The choice's text (report value and command-line spelling), e.g. {@code hogwild}. */
    public static String key(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} spelled {@code text}, else {@link InvalidOptionException} for option {@code key}. */
    public static <E extends Enum<E>> E parse(String key, String text, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (key(e).equals(text)) {
                return e;
            }
        }
        throw new InvalidOptionException(
                key,
                text,
                "one of " + Stream.of(type.getEnumConstants()).map(Choice::key).collect(Collectors.joining(", ")));
    }
}
