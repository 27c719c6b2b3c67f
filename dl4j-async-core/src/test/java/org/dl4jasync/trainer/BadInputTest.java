package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class BadInputTest {

    @Test
    void workersBelowOneAreRejected() {
        assertThatThrownBy(() -> new AsyncTrainer.Builder(TinyNets.net(1)).workers(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("workers: '0' is not allowed; expected an integer >= 1");
    }

    @Test
    void uninitialisedNetworkIsRejected() {
        MultiLayerNetwork net = new MultiLayerNetwork(TinyNets.conf(1, false));
        assertThatThrownBy(() -> new AsyncTrainer.Builder(net))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("net.init()");
    }

    @Test
    void uninitialisedGraphIsRejected() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .graphBuilder()
                .addInputs("in")
                .addLayer("out", new OutputLayer.Builder().nIn(2).nOut(2).build(), "in")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        assertThatThrownBy(() -> new AsyncTrainer.Builder(graph))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("graph.init()");
        assertThatThrownBy(() -> new AsyncTrainer.Builder(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a MultiLayerNetwork or a ComputationGraph, got null");
    }

    @Test
    void otherOptionsAreValidatedAtBuildTime() {
        AsyncTrainer.Builder b = new AsyncTrainer.Builder(TinyNets.net(1));
        assertThatThrownBy(() -> b.maxSteps(0)).hasMessageContaining("max_steps: '0' is not allowed");
        assertThatThrownBy(() -> b.persistence(-2))
                .hasMessageContaining("persistence: '-2' is not allowed; expected an integer >= 0");
        assertThatThrownBy(() -> b.timeLimit(Duration.ZERO))
                .hasMessageContaining("time_limit: '0.0' is not allowed; expected a positive number of seconds");
        assertThatThrownBy(() -> b.targetAccuracy(1.5))
                .hasMessageContaining("target_accuracy: '1.5' is not allowed; expected a number in (0, 1]");
        assertThatThrownBy(() -> new AsyncTrainer.Builder(TinyNets.net(1))
                        .targetAccuracy(0.5)
                        .build())
                .hasMessageContaining("targetAccuracy needs evaluation data");
        assertThatThrownBy(() -> b.build().fit(TinyNets.iterator(TinyNets.blobs(2, 2, 1)), 0))
                .hasMessageContaining("epochs must be >= 1");
    }

    @ParameterizedTest
    @EnumSource(ParameterStore.Kind.class)
    void aShapeMismatchReachesTheCallerAndStopsEveryWorker(ParameterStore.Kind kind) {
        // 5 input features for a network that takes 4
        List<DataSet> wrong =
                List.of(new DataSet(Nd4j.rand(8, 5), Nd4j.zeros(8, 3)), new DataSet(Nd4j.rand(8, 5), Nd4j.zeros(8, 3)));
        AsyncTrainer trainer =
                new AsyncTrainer.Builder(TinyNets.net(1)).workers(4).store(kind).build();
        assertThatThrownBy(() -> trainer.fit(TinyNets.iterator(wrong), 10))
                .isInstanceOf(TrainingFailedException.class)
                .hasMessageContaining("training failed in worker")
                .hasCauseInstanceOf(Exception.class);
        assertThat(liveWorkerThreads()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ParameterStore.Kind.class)
    void labelsWiderThanTheNetworksOutputAreAClearErrorAndStopEveryWorker(ParameterStore.Kind kind) {
        // 4 label columns for a network with 3 outputs
        List<DataSet> wrong =
                List.of(new DataSet(Nd4j.rand(8, 4), Nd4j.zeros(8, 4)), new DataSet(Nd4j.rand(8, 4), Nd4j.zeros(8, 4)));
        AsyncTrainer trainer =
                new AsyncTrainer.Builder(TinyNets.net(1)).workers(4).store(kind).build();
        assertThatThrownBy(() -> trainer.fit(TinyNets.iterator(wrong), 10))
                .isInstanceOf(TrainingFailedException.class)
                .hasMessageContaining("training failed in worker")
                .hasMessageContaining("shape");
        assertThat(liveWorkerThreads()).isZero();
    }

    @Test
    void anIteratorThatFailsAfterTheStartReachesTheCaller() {
        // a prefetching iterator over a file that turns out truncated: the first batches are fine
        org.nd4j.linalg.dataset.api.iterator.DataSetIterator truncated =
                new org.deeplearning4j.datasets.iterator.ExistingDataSetIterator(TinyNets.blobs(20, 4, 1)) {
                    private int served;

                    @Override
                    public DataSet next() {
                        if (++served > 12) {
                            throw new IllegalStateException("unexpected end of file after 12 batches");
                        }
                        return super.next();
                    }
                };
        AsyncTrainer trainer = new AsyncTrainer.Builder(TinyNets.net(1))
                .workers(3)
                .dataMode(AsyncTrainer.DataMode.PREFETCH)
                .prefetch(2)
                .build();
        assertThatThrownBy(() -> trainer.fit(truncated, 1))
                .isInstanceOf(TrainingFailedException.class)
                .hasMessageContaining("unexpected end of file");
        assertThat(liveWorkerThreads()).isZero();
    }

    @Test
    void aFailingIteratorInPrefetchModeReachesTheCaller() {
        org.nd4j.linalg.dataset.api.iterator.DataSetIterator broken =
                new org.deeplearning4j.datasets.iterator.ExistingDataSetIterator(TinyNets.blobs(3, 4, 1)) {
                    @Override
                    public DataSet next() {
                        throw new IllegalStateException("disk on fire");
                    }
                };
        AsyncTrainer trainer = new AsyncTrainer.Builder(TinyNets.net(1))
                .workers(2)
                .dataMode(AsyncTrainer.DataMode.PREFETCH)
                .build();
        assertThatThrownBy(() -> trainer.fit(broken, 1))
                .isInstanceOf(TrainingFailedException.class)
                .hasMessageContaining("disk on fire");
        assertThat(liveWorkerThreads()).isZero();
    }

    @Test
    void anEmptyIteratorIsAClearError() {
        AsyncTrainer trainer =
                new AsyncTrainer.Builder(TinyNets.net(1)).workers(2).build();
        assertThatThrownBy(() -> trainer.fit(
                        new org.deeplearning4j.datasets.iterator.ExistingDataSetIterator(List.<DataSet>of()), 1))
                .hasMessageContaining("produced no batches");
    }

    static long liveWorkerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("dl4j-async-") && t.isAlive())
                .count();
    }
}
