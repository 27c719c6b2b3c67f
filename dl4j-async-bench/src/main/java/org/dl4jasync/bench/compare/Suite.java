package org.dl4jasync.bench.compare;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A comparison suite, as read from its file by {@link SuiteFile}: which command every run is ({@code train} or
 * {@code simulate}), the configurations (each a list of command-line arguments; shared defaults already merged and
 * list values already expanded), the seeds, the targets, the time limit per run and the configurations the others
 * are compared with.
 *
 * @param name           the suite's name
 * @param command        {@code train} or {@code simulate}
 * @param seeds          one run per configuration and seed
 * @param timeLimit      seconds per run ({@code --time-limit} of train, {@code --virtual-time-limit} of simulate)
 * @param targets        the levels whose time to reach is compared: test accuracies, then loss fractions
 * @param baselines      the configurations the pairwise comparisons are against (none: no comparison): names of
 *                       configurations, or of matrices ({@link #baselineFor})
 * @param configurations in the file's order
 */
public record Suite(
        String name,
        String command,
        List<Long> seeds,
        OptionalDouble timeLimit,
        List<Target> targets,
        List<String> baselines,
        List<Configuration> configurations) {

    /** One configuration: its name and its arguments (without seed, time limit and report files). */
    public record Configuration(String name, List<String> args) {}

    public Suite {
        seeds = List.copyOf(seeds);
        targets = List.copyOf(targets);
        baselines = List.copyOf(baselines);
        configurations = List.copyOf(configurations);
    }

    public Configuration configuration(String n) {
        for (Configuration c : configurations) {
            if (c.name().equals(n)) {
                return c;
            }
        }
        return null;
    }

    /** The name of a configuration without its matrix axes: {@code async[workers=2]} → {@code async}. */
    public static String base(String configuration) {
        int open = configuration.indexOf('[');
        return open < 0 ? configuration : configuration.substring(0, open);
    }

    /**
     * The configuration {@code configuration} is compared with for {@code baseline}: the baseline itself when it is a
     * configuration, else (a matrix's name) the baseline's configuration whose every axis has the configuration's
     * value, e.g. {@code interval[workers=2]} → {@code async[workers=2]} and {@code abs[abs-c=16, workers=2]} →
     * {@code async[workers=2]}; null when there is none.
     */
    public String baselineFor(String baseline, String configuration) {
        if (configurations.stream().anyMatch(c -> c.name().equals(baseline))) {
            return baseline;
        }
        Map<String, String> axes = axes(configuration);
        for (Configuration c : configurations) {
            if (base(c.name()).equals(baseline)
                    && axes.entrySet().containsAll(axes(c.name()).entrySet())) {
                return c.name();
            }
        }
        return null;
    }

    /** The matrix axes of a configuration's name: {@code x[a=1, b=2]} → {a=1, b=2}. */
    static Map<String, String> axes(String configuration) {
        Map<String, String> out = new LinkedHashMap<>();
        int open = configuration.indexOf('[');
        if (open < 0 || !configuration.endsWith("]")) {
            return out;
        }
        for (String pair :
                configuration.substring(open + 1, configuration.length() - 1).split(", ")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return out;
    }
}
