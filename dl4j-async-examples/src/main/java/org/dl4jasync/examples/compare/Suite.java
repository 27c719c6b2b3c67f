package org.dl4jasync.examples.compare;

import java.util.List;
import java.util.OptionalDouble;

/**
 * A comparison suite, as read from its file by {@link SuiteFile}: which command every run is ({@code train} or
 * {@code simulate}), the configurations (each a list of command-line arguments; shared defaults already merged and
 * list values already expanded), the seeds, the accuracy targets, the time limit per run and the configuration the
 * others are compared with.
 *
 * @param name           the suite's name
 * @param command        {@code train} or {@code simulate}
 * @param seeds          one run per configuration and seed
 * @param timeLimit      seconds per run ({@code --time-limit} of train, {@code --virtual-time-limit} of simulate)
 * @param targets        test accuracies whose time to reach is compared
 * @param baselines      the configurations the pairwise comparisons are against (none: no comparison)
 * @param configurations in the file's order
 */
public record Suite(String name, String command, List<Long> seeds, OptionalDouble timeLimit, List<Double> targets,
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
}
