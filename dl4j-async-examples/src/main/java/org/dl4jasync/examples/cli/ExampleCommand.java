package org.dl4jasync.examples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.dl4jasync.examples.apps.Examples;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code dl4j-async example NAME [ARGS...]}: runs one of the example programs with its own arguments. */
@Command(
        name = "example",
        mixinStandardHelpOptions = true,
        description = "Run an example program: cifar10 (LeNet-5 in the Interval-Asynchrony paper's setting), "
                + "parallelwrapper-migration (DL4J's ParallelWrapper client and the same with AsyncTrainer), "
                + "early-stopping (DL4J early stopping on the asynchronous trainer). The arguments after NAME are "
                + "the example's own: `example NAME --help` lists them.")
public final class ExampleCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "The example to run.")
    String name;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "The example's arguments.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        Supplier<Callable<Integer>> example = Examples.ALL.get(name);
        if (example == null) {
            return Main.usageError(
                    "example",
                    "'" + name + "' is not an example; expected one of " + String.join(", ", Examples.ALL.keySet()));
        }
        return Examples.run(example.get(), args.toArray(new String[0]));
    }
}
