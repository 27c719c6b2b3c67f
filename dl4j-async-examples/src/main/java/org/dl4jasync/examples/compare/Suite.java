package org.dl4jasync.examples.compare;

import java.util.List;
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
public record Suite(String name, String command, List<Long> seeds, OptionalDouble timeLimit, List<Target> targets,
                    List<String> baselines, List<Configuration> configurations) {

    /** One configuration: its name and its arguments (without seed, time limit and report files). */
    public record Configuration(String name, List<String> args) {
    }

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
     * configuration, else (a matrix's name) the baseline's configuration with the same axes, e.g.
     * {@code interval[workers=2]} → {@code async[workers=2]}; null when there is none.
     */
    public String baselineFor(String baseline, String configuration) {
        if (configurations.stream().anyMatch(c -> c.name().equals(baseline))) {
            return baseline;
        }
        String axes = configuration.substring(base(configuration).length());
        String same = baseline + axes;
        return configurations.stream().anyMatch(c -> c.name().equals(same)) ? same : null;
    }
}
