package org.dl4jasync.examples.cli;

import java.util.List;
import picocli.CommandLine;

/** Checks one run's arguments as {@code train} or {@code simulate} would, without running it (for a suite's runs). */
public final class RunCheck {
    private RunCheck() {}

    /** Throws {@link IllegalArgumentException} with the command's one-line message when the arguments are refused. */
    public static void check(String command, List<String> args) {
        try {
            if (command.equals("simulate")) {
                SimulateCommand s = new SimulateCommand();
                parse(s, args);
                s.prepare();
            } else {
                TrainCommand t = new TrainCommand();
                parse(t, args);
                t.options.experiment().forTraining();
                t.options.runConfig();
            }
        } catch (UsageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static void parse(Object command, List<String> args) {
        try {
            new CommandLine(command).parseArgs(args.toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
