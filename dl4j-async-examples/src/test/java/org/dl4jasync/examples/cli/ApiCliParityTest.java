package org.dl4jasync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.config.Choice;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.examples.data.FashionMnist;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.simulation.StepTimes;
import org.dl4jasync.trainer.AsyncTrainer;
import org.dl4jasync.trainer.Simulator;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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

    private static RunConfig config(Algorithm a) {
        return RunConfig.builder().algorithm(a).workers(2).maxSteps(STEPS).build();
    }

    private Map<?, ?> cli(Path dir, String command, Algorithm a, String... more) throws Exception {
        Path json = dir.resolve(command + "-" + Choice.key(a) + ".json");
        String[] base = {
            command,
            "--algorithm",
            Choice.key(a),
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
    @EnumSource(Algorithm.class)
    void trainAndTheLibraryGiveTheSameReport(Algorithm a, @TempDir Path dir) throws Exception {
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
    @EnumSource(Algorithm.class)
    void simulateAndTheLibraryGiveTheSameReport(Algorithm a, @TempDir Path dir) throws Exception {
        Map<?, ?> viaCli = cli(dir, "simulate", a, "--model", "none");
        TrainingReport r = new Simulator.Builder(2, StepTimes.parse("exp:0.01", 2))
                .config(config(a))
                .build()
                .run();
        assertSameShape(viaCli, TrainingReport.parse(r.toJson()), a);
    }

    private static void assertSameShape(Map<?, ?> viaCli, Map<?, ?> viaApi, Algorithm a) {
        assertThat(viaCli.keySet()).as("report keys").isEqualTo(viaApi.keySet());
        for (String label :
                new String[] {"algorithm", "store", "step_size", "workers", "stop_reason", "steps_accepted"}) {
            assertThat(viaCli.get(label)).as(label).isEqualTo(viaApi.get(label));
        }
        assertThat(viaApi.get("algorithm")).isEqualTo(Choice.key(a));
        Map<Object, Object> cliRun = new TreeMap<>((Map<?, ?>) viaCli.get("config"));
        cliRun.keySet().removeAll(CLI_ONLY);
        assertThat(cliRun).as("the run's settings").isEqualTo(new TreeMap<>((Map<?, ?>) viaApi.get("config")));
    }
}
