package org.dl4jasync.examples.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleConsumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.dl4jasync.spec.InvalidOptionException;

/** Text values of the component options, parsed onto the specs: a value that is not of the form is a usage error. */
final class CliValues {
    private CliValues() {}

    /** An integer, or {@link UsageException} for {@code --key} saying what is {@code expected}. */
    static int integer(String key, String text, String expected) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException(TrainOptions.option(key), text, expected);
        }
    }

    /** A number, or {@link UsageException} for {@code --key} saying what is {@code expected}. */
    static double number(String key, String text, String expected) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new UsageException(TrainOptions.option(key), text, expected);
        }
    }

    /**
     * The options of a component that were given (report key → value, in their order), for refusing them where the
     * component is not used: an option that would be silently ignored misleads.
     */
    static final class Given {
        private final Map<String, Object> values = new LinkedHashMap<>();

        Given add(String key, Object value) {
            if (value != null && !Boolean.FALSE.equals(value)) {
                values.put(key, value);
            }
            return this;
        }

        boolean any() {
            return !values.isEmpty();
        }

        /** Refuses the first given option: {@code expected} says when it has a value. */
        void refuse(String expected) {
            values.entrySet().stream().findFirst().ifPresent(e -> {
                throw new InvalidOptionException(e.getKey(), e.getValue(), expected);
            });
        }

        /** Refuses the first given option among {@code keys}. */
        void refuse(String expected, String... keys) {
            for (String k : keys) {
                if (values.containsKey(k)) {
                    throw new InvalidOptionException(k, values.get(k), expected);
                }
            }
        }
    }

    /**
     * An option that takes N accepted steps or D seconds written {@code Ds}: calls {@code steps} or {@code seconds};
     * anything else (or a value they refuse) is a usage error saying both forms.
     */
    static Object stepsOrSeconds(
            String option, String value, String example, LongConsumer steps, DoubleConsumer seconds) {
        String expected =
                "an integer >= 1 (accepted steps) or a positive number of seconds followed by s (e.g. " + example + ")";
        try {
            if (value.endsWith("s")) {
                seconds.accept(Double.parseDouble(value.substring(0, value.length() - 1)));
            } else {
                steps.accept(Long.parseLong(value));
            }
            return null;
        } catch (NumberFormatException | InvalidOptionException e) {
            throw new UsageException(option, value, expected);
        }
    }

    /** {@code value} if given, else the default. */
    static <T> T or(T value, Supplier<T> otherwise) {
        return value != null ? value : Objects.requireNonNull(otherwise.get());
    }
}
