package org.dl4jasync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.examples.cli.Experiment;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.trainer.AsyncTrainer;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Calls {@code fit} many times on one trainer and prints resident memory and JavaCPP's physical-bytes count after
 * each call (after a GC), to show whether memory grows across {@code fit} calls.
 */
@Command(
        name = "FitLoopMemory",
        mixinStandardHelpOptions = true,
        description = "Memory after each of N fit() calls on one trainer.")
public final class FitLoopMemory implements Callable<Integer> {
    @Option(names = "--fits", defaultValue = "30", description = "fit() calls (default ${DEFAULT-VALUE})")
    int fits;

    @Option(
            names = "--store",
            defaultValue = "LEASHED",
            description = "HOGWILD, LOCKED or LEASHED (default ${DEFAULT-VALUE})")
    ParameterStore.Kind store;

    @Option(names = "--workers", defaultValue = "2", description = "workers (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--steps", defaultValue = "100", description = "accepted steps per fit (default ${DEFAULT-VALUE})")
    long steps;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FitLoopMemory()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Experiment mlp = Experiment.defaults().withModel("mlp");
        TrainTest data = mlp.loadData();
        MultiLayerNetwork net = mlp.buildNetwork(data, RunConfig.DEFAULT_SEED);
        DataSetIterator train = mlp.trainIterator(data, 42);
        AsyncTrainer trainer = new AsyncTrainer.Builder(net)
                .workers(workers)
                .store(store)
                .maxSteps(steps)
                .build();
        System.out.printf(Locale.ROOT, "mlp, %s store, %d workers, %d steps per fit%n", store, workers, steps);
        System.out.println("fit  rss_mib  javacpp_physical_mib");
        for (int i = 1; i <= fits; i++) {
            trainer.fit(train, Integer.MAX_VALUE);
            System.gc();
            Thread.sleep(100);
            System.out.printf(Locale.ROOT, "%3d  %7.1f  %7.1f%n", i, rssMib(), Pointer.physicalBytes() / 1048576.0);
        }
        return 0;
    }

    private static double rssMib() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }
}
