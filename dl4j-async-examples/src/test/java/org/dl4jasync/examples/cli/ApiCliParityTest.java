package org.dl4jasync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.examples.data.FashionMnist;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.spec.Choice;
import org.dl4jasync.trainer.AsyncTrainer;
import org.dl4jasync.trainer.Simulator;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command line adds nothing to a run but its data and the experiment's settings: for every algorithm, a run
 * composed through the library API and the same run through {@code train} (threads) or {@code simulate} (virtual
 * time) give the same report keys, the same labels and the same run settings in {@code config}.
 */
class ApiCliParityTest {
    /** The experiment's settings and the report files: the command line's own {@code config} entries. */
    private static final Set<String> CLI_ONLY = Set.of(
            "dataset",
            "data_dir",
            "model",
            "batch",
            "lr",
            "momentum",
            "momentum_form",
            "init",
            "pixels",
            "augment",
            "onednn_helpers",
            "data_source",
            "json",
            "csv",
            "quiet");

    private static final int STEPS = 40;

    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    /** Every algorithm by its key, and {@code elastic}: async with elastic parallelism. */
    static java.util.stream.Stream<String> algorithms() {
        return java.util.stream.Stream.concat(
                java.util.Arrays.stream(Algorithm.values()).map(Choice::key), java.util.stream.Stream.of("elastic"));
    }

    private static RunConfig config(String a) {
        RunConfig.Builder b = RunConfig.builder().workers(2).maxSteps(STEPS);
        return "elastic".equals(a)
                ? b.algorithm(Algorithm.ASYNC)
                        .elastic(org.dl4jasync.parallelism.ElasticSpec.Probing.DEFAULT)
                        .build()
                : b.algorithm(Choice.parse("algorithm", a, Algorithm.class)).build();
    }

    private Map<?, ?> cli(Path dir, String command, String a, String... more) throws Exception {
        Path json = dir.resolve(command + "-" + a + ".json");
        String[] base = {
            command,
            "--algorithm",
            a,
            "--workers",
            "2",
            "--max-steps",
            String.valueOf(STEPS),
            "--json",
            json.toString(),
            "--quiet"
        };
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        assertThat(Main.run(args)).as(console.err()).isZero();
        return TrainingReport.parse(Files.readString(json));
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void trainAndTheLibraryGiveTheSameReport(String a, @TempDir Path dir) throws Exception {
        Map<?, ?> viaCli = cli(dir, "train", a, "--model", "mlp");
        Experiment mlp = Experiment.defaults().withModel("mlp");
        TrainTest data = FashionMnist.embedded();
        MultiLayerNetwork net = mlp.buildNetwork(data, RunConfig.DEFAULT_SEED);
        TrainingReport r;
        try (AsyncTrainer t = new AsyncTrainer.Builder(net)
                .config(config(a))
                .evaluation(Experiment.testIterator(data))
                .build()) {
            r = t.fit(mlp.trainIterator(data, 42));
        }
        assertSameShape(viaCli, TrainingReport.parse(r.toJson()), a);
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void simulateAndTheLibraryGiveTheSameReport(String a, @TempDir Path dir) throws Exception {
        Map<?, ?> viaCli = cli(dir, "simulate", a, "--model", "none");
        TrainingReport r = new Simulator.Builder(2, StepTimes.parse("exp:0.01", 2))
                .config(config(a))
                .build()
                .run();
        assertSameShape(viaCli, TrainingReport.parse(r.toJson()), a);
    }

    private static void assertSameShape(Map<?, ?> viaCli, Map<?, ?> viaApi, String a) {
        assertThat(viaCli.keySet()).as("report keys").isEqualTo(viaApi.keySet());
        for (String label :
                new String[] {"algorithm", "store", "step_size", "workers", "stop_reason", "steps_accepted"}) {
            assertThat(viaCli.get(label)).as(label).isEqualTo(viaApi.get(label));
        }
        assertThat(viaApi.get("algorithm")).isEqualTo(a);
        Map<Object, Object> cliRun = new TreeMap<>((Map<?, ?>) viaCli.get("config"));
        cliRun.keySet().removeAll(CLI_ONLY);
        assertThat(cliRun).as("the run's settings").isEqualTo(new TreeMap<>((Map<?, ?>) viaApi.get("config")));
    }
}
