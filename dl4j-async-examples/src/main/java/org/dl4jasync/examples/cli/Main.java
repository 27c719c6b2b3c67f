package org.dl4jasync.examples.cli;

import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code dl4j-async}: the command line. Exit status 0 success, 1 training failed (or its final checkpoint could not
 * be written), 2 bad usage or input, 128 + n after signal n (130 SIGINT, 143 SIGTERM; see {@link Signals}).
 */
@Command(
        name = "dl4j-async",
        mixinStandardHelpOptions = true,
        version = "dl4j-async 0.1.0",
        subcommands = {TrainCommand.class, SimulateCommand.class, ExampleCommand.class},
        description = "Staleness-aware asynchronous parallel SGD for Deeplearning4j networks.")
public final class Main implements Callable<Integer> {
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        Signals.install(); // SIGINT/SIGTERM stop a run cleanly (its checkpoint and report are written)
        ParentWatch.fromSystemProperty(); // a compare's child run ends with its parent
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        for (PluginCommand c : ServiceLoader.load(PluginCommand.class)) {
            cl.addSubcommand(c); // compare, from dl4j-async-bench
        }
        cl.setParameterExceptionHandler((ex, a) -> {
            String cmd = ex.getCommandLine().getCommandName();
            System.err.println("dl4j-async " + cmd + ": " + ex.getMessage() + " (see --help)");
            return EXIT_USAGE;
        });
        // everything after the example's name is the example's own
        cl.getSubcommands().get("example").setStopAtPositional(true);
        return cl.execute(args);
    }

    /** One line on stderr, exit status 2. */
    public static int usageError(String command, String message) {
        System.err.println("dl4j-async " + command + ": " + message);
        return EXIT_USAGE;
    }

    /** No command given: usage on stderr, exit status 2. */
    @Override
    public Integer call() {
        new CommandLine(this).usage(System.err);
        return EXIT_USAGE;
    }
}
