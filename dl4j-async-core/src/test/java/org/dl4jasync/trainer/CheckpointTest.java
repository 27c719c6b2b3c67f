package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jasync.checkpoint.IncompatibleCheckpointException;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.metrics.TracePoint;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Checkpoints: written atomically and pruned, loadable by DL4J's ModelSerializer, and a resumed run continues the
 * same training — with one worker (deterministic) an interrupted and resumed run ends with exactly the parameters,
 * counts and traces of the run that was never interrupted.
 */
@Timeout(120)
class CheckpointTest {
    private static final List<DataSet> TRAIN = TinyNets.blobs(20, 8, 1);
    private static final List<DataSet> TEST = TinyNets.blobs(4, 16, 2);

    private static AsyncTrainer.Builder oneWorker(MultiLayerNetwork net) {
        return new AsyncTrainer.Builder(net)
                .workers(1)
                .seed(11)
                .evaluation(TinyNets.iterator(TEST), 25)
                .lossTraceEvery(10);
    }

    private static List<Path> checkpoints(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().collect(Collectors.toList());
        }
    }

    @Test
    void checkpointsAreWrittenEveryNStepsAndAtTheEndAndTheNewestKAreKept(@TempDir Path dir) throws IOException {
        MultiLayerNetwork net = TinyNets.net(5);
        TrainingReport r = new AsyncTrainer.Builder(net)
                .workers(3)
                .maxSteps(100)
                .checkpointDir(dir)
                .checkpointEvery(20)
                .keepCheckpoints(3)
                .build()
                .fit(TinyNets.iterator(TRAIN), Integer.MAX_VALUE);
        // 5 periodic (20 … 100) + the final; a periodic one that falls due while the previous is being written is
        // skipped (one copy in memory at a time)
        long written = (Long) r.checkpoints().get("written");
        assertThat(written + (Long) r.checkpoints().get("skipped")).isEqualTo(6);
        assertThat(r.checkpoints()).containsEntry("failed", 0L);
        String newest = String.format("checkpoint-%010d.zip", written);
        assertThat(r.checkpoints()).containsEntry("last", dir.resolve(newest).toString());
        List<Path> files = checkpoints(dir);
        assertThat(files)
                .extracting(p -> p.getFileName().toString())
                .hasSize((int) Math.min(3, written))
                .last()
                .isEqualTo(newest);
        // DL4J reads the newest as the trained network with its updater state
        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(
                files.get(files.size() - 1).toFile(), true);
        assertThat(loaded.params()).isEqualTo(net.params());
        assertThat(loaded.getIterationCount())
                .isEqualTo(net.getIterationCount())
                .isEqualTo(100);
        assertThat(loaded.getUpdater().getStateViewArray()).isNotNull();
    }

    @ParameterizedTest
    @EnumSource(ParameterStore.Kind.class)
    void anInterruptedAndResumedRunEqualsTheUninterruptedOne(ParameterStore.Kind store, @TempDir Path dir) {
        MultiLayerNetwork straight = TinyNets.net(5);
        TrainingReport whole = oneWorker(straight).store(store).build().fit(TinyNets.iterator(TRAIN), 3);

        MultiLayerNetwork first = TinyNets.net(5);
        oneWorker(first)
                .store(store)
                .maxSteps(27)
                .checkpointDir(dir)
                .checkpointEvery(10)
                .build()
                .fit(TinyNets.iterator(TRAIN), 3); // stops in epoch 2 (27 of 60 batches), final checkpoint at 27
        MultiLayerNetwork resumed = TinyNets.net(5);
        resumed.params().addi(1.0); // other parameters: all come from the checkpoint
        TrainingReport rest = oneWorker(resumed)
                .store(store)
                .resume(dir)
                .checkpointDir(dir)
                .build()
                .fit(TinyNets.iterator(TRAIN), 3);

        assertThat(resumed.params()).isEqualTo(straight.params());
        assertThat(resumed.getIterationCount())
                .isEqualTo(straight.getIterationCount())
                .isEqualTo(60);
        assertThat(resumed.getEpochCount()).isEqualTo(straight.getEpochCount()).isEqualTo(3);
        assertThat(rest.stepsAccepted()).isEqualTo(whole.stepsAccepted()).isEqualTo(60);
        assertThat(rest.stepsStarted()).isEqualTo(whole.stepsStarted());
        assertThat(rest.epochsCompleted()).isEqualTo(3);
        assertThat(rest.finalAccuracy()).isEqualTo(whole.finalAccuracy());
        assertThat(steps(rest.lossTrace())).isEqualTo(steps(whole.lossTrace()));
        assertThat(values(rest.lossTrace())).isEqualTo(values(whole.lossTrace()));
        assertThat(values(rest.accuracyTrace())).isEqualTo(values(whole.accuracyTrace()));
        assertThat(rest.staleness().histogram())
                .containsExactlyElementsOf(whole.staleness().histogram());
        assertThat(rest.config()).containsEntry("epochs", 3);
    }

    /** A shared optimizer state is checkpointed and resumed with the parameters (in ModelSerializer's entry). */
    @ParameterizedTest
    @EnumSource(ParameterStore.Kind.class)
    void aSharedOptimizerStateResumesToTheUninterruptedRun(ParameterStore.Kind store, @TempDir Path dir)
            throws IOException {
        org.dl4jasync.config.OptimizerState shared = org.dl4jasync.config.OptimizerState.SHARED;
        MultiLayerNetwork straight = TinyNets.net(5);
        oneWorker(straight).store(store).optimizerState(shared).build().fit(TinyNets.iterator(TRAIN), 3);

        MultiLayerNetwork first = TinyNets.net(5);
        oneWorker(first)
                .store(store)
                .optimizerState(shared)
                .maxSteps(27)
                .checkpointDir(dir)
                .checkpointEvery(10)
                .build()
                .fit(TinyNets.iterator(TRAIN), 3);
        MultiLayerNetwork saved = ModelSerializer.restoreMultiLayerNetwork(
                checkpoints(dir).get(checkpoints(dir).size() - 1).toFile(), true);
        assertThat(saved.getUpdater().getStateViewArray())
                .isEqualTo(first.getUpdater().getStateViewArray());
        MultiLayerNetwork resumed = TinyNets.net(5);
        oneWorker(resumed)
                .store(store)
                .optimizerState(shared)
                .resume(dir)
                .checkpointDir(dir)
                .build()
                .fit(TinyNets.iterator(TRAIN), 3);

        assertThat(resumed.params()).isEqualTo(straight.params());
        assertThat(resumed.getUpdater().getStateViewArray())
                .isEqualTo(straight.getUpdater().getStateViewArray());
    }

    /** Every algorithm with its stateful components (one worker: deterministic, so resumed = uninterrupted). */
    enum Algo {
        SEQUENTIAL,
        SYNC,
        ASYNC,
        INTERVAL_DECAY,
        INTERVAL_PROBE,
        INTERVAL_AUTO,
        ELASTIC,
        ELASTIC_LOG,
        ELASTIC_LOG_SEARCH_EVAL,
        BOUNDED,
        SSP,
        KASYNC_ADAPTIVE,
        ABS,
        LOCAL_SGD,
        TAIL,
        MINDTHESTEP;

        AsyncTrainer.Builder compose(AsyncTrainer.Builder b) {
            switch (this) {
                case SEQUENTIAL:
                    return b.algorithm(Algorithm.SEQUENTIAL);
                case SYNC:
                    return b.algorithm(Algorithm.SYNC);
                case INTERVAL_DECAY:
                    return b.dispatch(org.dl4jasync.dispatch.DispatchSpec.Interval.of(
                            6, new org.dl4jasync.dispatch.IntervalSchedule.Decay(1, 8, 2)));
                case INTERVAL_PROBE:
                    return b.dispatch(org.dl4jasync.dispatch.DispatchSpec.Interval.of(
                            4, new org.dl4jasync.dispatch.IntervalSchedule.Probe(2, 1, 5, 7)));
                case INTERVAL_AUTO:
                    return b.dispatch(org.dl4jasync.dispatch.DispatchSpec.Interval.auto(
                            new org.dl4jasync.dispatch.IntervalSchedule.Fixed()));
                case ELASTIC:
                    return b.algorithm(Algorithm.ASYNC).elastic(org.dl4jasync.parallelism.ElasticSpec.Probing.of(3, 2));
                case ELASTIC_LOG:
                    return b.algorithm(Algorithm.ASYNC)
                            .elastic(org.dl4jasync.parallelism.ElasticSpec.Probing.of(3, 2)
                                    .withSearch(org.dl4jasync.parallelism.ElasticSearch.LOG));
                case ELASTIC_LOG_SEARCH_EVAL:
                    return b.algorithm(Algorithm.ASYNC)
                            .elastic(org.dl4jasync.parallelism.ElasticSpec.Probing.of(3, 2)
                                    .withSearch(org.dl4jasync.parallelism.ElasticSearch.LOG))
                            .lossMonitor(org.dl4jasync.config.LossSignal.SEARCH_EVAL)
                            .heldOut(TinyNets.blobs(1, 16, 9).get(0));
                case BOUNDED:
                    return b.dispatch(org.dl4jasync.dispatch.DispatchSpec.Bounded.of(0));
                case SSP:
                    return b.dispatch(new org.dl4jasync.dispatch.DispatchSpec.Ssp(1));
                case KASYNC_ADAPTIVE:
                    return b.dispatch(
                            new org.dl4jasync.dispatch.RoundSpec.KAsync(java.util.OptionalInt.of(1), true, 1));
                case ABS:
                    return b.dispatch(new org.dl4jasync.dispatch.RoundSpec.Abs(
                            java.util.OptionalInt.empty(), java.util.OptionalDouble.of(2), 1));
                case LOCAL_SGD:
                    return b.dispatch(
                            new org.dl4jasync.dispatch.RoundSpec.KAsync(java.util.OptionalInt.of(1), false, 3));
                case TAIL:
                    return b.algorithm(Algorithm.ASYNC)
                            .stepSize(new org.dl4jasync.stepsize.StepSizeSpec.Tail(
                                    1.0,
                                    org.dl4jasync.stepsize.Phi.IDENTITY,
                                    new org.dl4jasync.stepsize.StepSizeSpec.Window(
                                            java.util.OptionalLong.of(5),
                                            java.util.OptionalInt.of(8),
                                            java.util.OptionalLong.of(3),
                                            false)));
                case MINDTHESTEP:
                    return b.algorithm(Algorithm.ASYNC)
                            .stepSize(new org.dl4jasync.stepsize.StepSizeSpec.MindTheStep(
                                    java.util.OptionalDouble.empty(),
                                    java.util.OptionalDouble.empty(),
                                    org.dl4jasync.stepsize.MindTheStepSize.Form.PRINTED,
                                    false,
                                    java.util.OptionalDouble.empty(),
                                    new org.dl4jasync.stepsize.StepSizeSpec.Window(
                                            java.util.OptionalLong.of(5),
                                            java.util.OptionalInt.of(8),
                                            java.util.OptionalLong.empty(),
                                            false)));
                default:
                    return b.algorithm(Algorithm.ASYNC);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Algo.class)
    void everyAlgorithmResumesToTheUninterruptedRun(Algo algo, @TempDir Path dir) {
        MultiLayerNetwork straight = TinyNets.net(5);
        TrainingReport whole = algo.compose(oneWorker(straight)).build().fit(TinyNets.iterator(TRAIN), 2);
        algo.compose(oneWorker(TinyNets.net(5)))
                .maxSteps(23)
                .checkpointDir(dir)
                .checkpointEvery(10)
                .build()
                .fit(TinyNets.iterator(TRAIN), 2);
        MultiLayerNetwork resumed = TinyNets.net(5);
        TrainingReport rest =
                algo.compose(oneWorker(resumed)).resume(dir).build().fit(TinyNets.iterator(TRAIN), 2);
        assertThat(resumed.params()).isEqualTo(straight.params());
        assertThat(rest.stepsAccepted()).isEqualTo(whole.stepsAccepted());
        assertThat(rest.epochsCompleted()).isEqualTo(2);
        assertThat(values(rest.lossTrace())).isEqualTo(values(whole.lossTrace()));
        java.util.Map<?, ?> a = parse(whole);
        java.util.Map<?, ?> b = parse(rest);
        for (String key : List.of(
                "interval_trace",
                "intervals_completed",
                "rounds",
                "uploads",
                "restarts",
                "k_trace",
                "steps_started",
                "steps_rejected",
                "step_scale")) {
            if (algo == Algo.INTERVAL_PROBE && key.startsWith("interval")) {
                continue; // probing compares loss decrease per second of wall time: its choices vary run to run
            }
            assertThat(String.valueOf(b.get(key))).as(key).isEqualTo(String.valueOf(a.get(key)));
        }
    }

    @ParameterizedTest
    @EnumSource(ParameterStore.Kind.class)
    void aCheckpointTakenWhileWorkersRunIsOneConsistentState(ParameterStore.Kind store, @TempDir Path dir)
            throws IOException {
        // 4 workers, a checkpoint every 7 updates: each must show every started step finished (none in flight)
        new AsyncTrainer.Builder(TinyNets.net(5))
                .workers(4)
                .store(store)
                .seed(3)
                .maxSteps(200)
                .checkpointDir(dir)
                .checkpointEvery(7)
                .keepCheckpoints(100)
                .build()
                .fit(TinyNets.iterator(TinyNets.blobs(80, 8, 3)), Integer.MAX_VALUE);
        List<Path> files = checkpoints(dir);
        assertThat(files).hasSizeGreaterThan(3); // 28 fall due; one that comes while the previous is written is skipped
        for (Path f : files) {
            org.dl4jasync.checkpoint.CheckpointFile.Contents c = org.dl4jasync.checkpoint.CheckpointFile.read(f);
            long accepted = ((Number) c.state.get("accepted")).longValue();
            long started = 0;
            long fates = 0;
            long applied = 0;
            for (Object o : (List<?>) c.state.get("worker_stats")) {
                java.util.Map<?, ?> w = (java.util.Map<?, ?>) o;
                started += ((Number) w.get("started")).longValue();
                applied += ((Number) w.get("applied")).longValue();
                fates += ((Number) w.get("applied")).longValue()
                        + ((Number) w.get("rejected")).longValue()
                        + ((Number) w.get("dropped")).longValue()
                        + ((Number) w.get("non_finite")).longValue();
            }
            assertThat(applied).as(f + ": applied").isEqualTo(accepted);
            assertThat(fates).as(f + ": every started step finished").isEqualTo(started);
            MultiLayerNetwork n = ModelSerializer.restoreMultiLayerNetwork(f.toFile(), true);
            assertThat(n.getIterationCount()).isEqualTo((int) accepted);
            assertThat(n.params().isInfinite().any() || n.params().isNaN().any())
                    .isFalse();
        }
    }

    private static java.util.Map<?, ?> parse(TrainingReport r) {
        try {
            java.util.Map<?, ?> m = TrainingReport.parse(r.toJson());
            return m;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Long> steps(List<TracePoint> trace) {
        return trace.stream().map(p -> p.steps).collect(Collectors.toList());
    }

    private static List<Double> values(List<TracePoint> trace) {
        return trace.stream().map(p -> p.value).collect(Collectors.toList());
    }

    @Test
    void aCorruptNewestCheckpointIsSkippedForTheOneBefore(@TempDir Path dir) throws IOException {
        oneWorker(TinyNets.net(5))
                .maxSteps(30)
                .checkpointDir(dir)
                .checkpointEvery(10)
                .build()
                .fit(TinyNets.iterator(TRAIN), 3);
        List<Path> files = checkpoints(dir); // the checkpoint at 30 (periodic) and the final one, also at 30
        byte[] bytes = Files.readAllBytes(files.get(1));
        Files.write(files.get(1), java.util.Arrays.copyOf(bytes, bytes.length / 2)); // truncated
        Files.write(dir.resolve("checkpoint-0000000099.zip.tmp"), new byte[] {1, 2, 3}); // a write that was killed
        TrainingReport r = oneWorker(TinyNets.net(5)).resume(dir).build().fit(TinyNets.iterator(TRAIN), 3);
        assertThat(r.stepsAccepted()).isEqualTo(60);
    }

    @Test
    void anotherTrainingsCheckpointIsRefusedSayingWhatDiffers(@TempDir Path dir) {
        oneWorker(TinyNets.net(5)).maxSteps(10).checkpointDir(dir).build().fit(TinyNets.iterator(TRAIN), 3);
        assertThatThrownBy(() -> new AsyncTrainer.Builder(TinyNets.net(5))
                        .workers(2)
                        .seed(11)
                        .resume(dir)
                        .build()
                        .fit(TinyNets.iterator(TRAIN), 3))
                .isInstanceOf(IncompatibleCheckpointException.class)
                .hasMessageMatching("checkpoint .*checkpoint-0000000001.zip was made with workers 1, this run has 2");
        assertThatThrownBy(() -> oneWorker(TinyNets.net(5))
                        .algorithm(Algorithm.SEQUENTIAL)
                        .resume(dir)
                        .build()
                        .fit(TinyNets.iterator(TRAIN), 3))
                .hasMessageContaining("was made with algorithm async, this run has sequential");
        assertThatThrownBy(() ->
                        oneWorker(TinyNets.exploding()).resume(dir).build().fit(TinyNets.iterator(TRAIN), 3))
                .isInstanceOf(IncompatibleCheckpointException.class)
                .hasMessageContaining("is of another network");
        assertThatThrownBy(() ->
                        oneWorker(TinyNets.net(5)).resume(dir).build().fit(TinyNets.iterator(TRAIN.subList(0, 10)), 3))
                .hasMessageContaining("was made on data of 20 batches per epoch, this data has 10");
        assertThatThrownBy(() -> oneWorker(TinyNets.net(5))
                        .resume(dir.resolve("none"))
                        .build()
                        .fit(TinyNets.iterator(TRAIN), 3))
                .isInstanceOf(IncompatibleCheckpointException.class)
                .hasMessageStartingWith("no intact checkpoint in");
    }
}
