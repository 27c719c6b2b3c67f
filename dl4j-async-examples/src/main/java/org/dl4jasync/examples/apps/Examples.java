package org.dl4jasync.examples.apps;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.dl4jasync.trainer.TrainingFailedException;
import picocli.CommandLine;

/**
 * The example programs, by the name {@code ./dl4j-async example NAME} knows them, and how each is run: picocli parses
 * its options; bad usage or missing data is one line on stderr and exit status 2, a training failure exit status 1.
 */
public final class Examples {
    /** Exit status of a training failure, as the command line's. */
    public static final int EXIT_FAILED = 1;
    /** Exit status of bad usage or missing data, as the command line's. */
    public static final int EXIT_USAGE = 2;
    /** Name → a fresh instance of the example. */
    public static final Map<String, Supplier<Callable<Integer>>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("cifar10", Cifar10Example::new);
        ALL.put("parallelwrapper-migration", ParallelWrapperMigration::new);
        ALL.put("early-stopping", EarlyStoppingExample::new);
    }

    private Examples() {}

    /** Runs {@code example} with {@code args}; returns the exit status. */
    public static int run(Callable<Integer> example, String... args) {
        CommandLine cl = new CommandLine(example);
        String name = cl.getCommandName();
        cl.setParameterExceptionHandler((ex, a) -> {
            System.err.println("dl4j-async example " + name + ": " + ex.getMessage() + " (see --help)");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof IOException || ex instanceof IllegalArgumentException) {
                System.err.println("dl4j-async example " + name + ": " + ex.getMessage());
                return EXIT_USAGE;
            }
            System.err.println("dl4j-async example " + name + ": training failed: " + ex.getMessage());
            (ex instanceof TrainingFailedException && ex.getCause() != null ? ex.getCause() : ex)
                    .printStackTrace(System.err);
            return EXIT_FAILED;
        });
        return cl.execute(args);
    }
}
