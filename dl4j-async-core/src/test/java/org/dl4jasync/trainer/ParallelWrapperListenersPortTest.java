package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.listener.RoutingIterationListener;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.stats.api.StatsReport;
import org.deeplearning4j.ui.model.stats.api.StatsType;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.testing.TinyGraphs;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * DL4J's own listener tests of ParallelWrapper ({@code TestListeners} in deeplearning4j-parallel-wrapper: pass counts,
 * session and worker ids, for a network and a graph, listeners given to the wrapper or set on the model) ported to
 * this trainer: two workers, one synchronous round (ParallelWrapper's {@code averagingFrequency(1)}), the same
 * assertions. Then what ParallelWrapper does not promise: the same worker ids across fit calls (DL4J issue 4267),
 * pass counts equal to the minibatches computed when workers run asynchronously, and a StatsListener whose reports
 * carry the update the shared parameters received.
 */
class ParallelWrapperListenersPortTest {

    @BeforeEach
    void clear() {
        TestListener.clearCounts();
    }

    // ---- DL4J's TestListeners, ported

    @Test
    void testListeners() {
        testListenersForModel(mln(), Collections.singletonList(new TestListener()));
    }

    @Test
    void testListenersGraph() {
        testListenersForModel(graph(), Collections.singletonList(new TestListener()));
    }

    @Test
    void testListenersViaModel() {
        MultiLayerNetwork model = mln();
        StatsStorage ss = new InMemoryStatsStorage();
        model.setListeners(new TestListener(), new StatsListener(ss));
        testListenersForModel(model, null);
        assertThat(ss.listSessionIDs()).hasSize(1);
        assertThat(ss.listWorkerIDsForSession(ss.listSessionIDs().get(0))).hasSize(2);
    }

    @Test
    void testListenersViaModelGraph() {
        ComputationGraph model = graph();
        StatsStorage ss = new InMemoryStatsStorage();
        model.setListeners(new TestListener(), new StatsListener(ss));
        testListenersForModel(model, null);
        assertThat(ss.listSessionIDs()).hasSize(1);
        assertThat(ss.listWorkerIDsForSession(ss.listSessionIDs().get(0))).hasSize(2);
    }

    private static void testListenersForModel(Model model, List<TrainingListener> listeners) {
        int nWorkers = 2;
        AsyncTrainer trainer = new AsyncTrainer.Builder(model)
                .workers(nWorkers)
                .algorithm(Algorithm.SYNC)
                .build();
        if (listeners != null) {
            trainer.setListeners(listeners.toArray(new TrainingListener[0]));
        }
        List<DataSet> data = new ArrayList<>();
        for (int i = 0; i < nWorkers; i++) {
            data.add(new DataSet(Nd4j.rand(1, 10), Nd4j.rand(1, 10)));
        }
        TestListener.clearCounts();
        trainer.fit(new ExistingDataSetIterator(data));

        assertThat(TestListener.workerIDs).hasSize(2);
        assertThat(TestListener.sessionIDs).hasSize(1);
        assertThat(TestListener.forwardPassCount.get()).isEqualTo(2);
        assertThat(TestListener.backwardPassCount.get()).isEqualTo(2);
    }

    private static MultiLayerNetwork mln() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .list()
                .layer(
                        0,
                        new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                                .nIn(10)
                                .nOut(10)
                                .activation(Activation.TANH)
                                .build())
                .build();
        MultiLayerNetwork model = new MultiLayerNetwork(conf);
        model.init();
        return model;
    }

    private static ComputationGraph graph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "0",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                                .nIn(10)
                                .nOut(10)
                                .activation(Activation.TANH)
                                .build(),
                        "in")
                .setOutputs("0")
                .build();
        ComputationGraph model = new ComputationGraph(conf);
        model.init();
        return model;
    }

    // ---- beyond ParallelWrapper

    @Test
    void workerIdsStayTheSameAcrossFitCalls() {
        MultiLayerNetwork model = TinyNets.net(1);
        StatsStorage ss = new InMemoryStatsStorage();
        model.setListeners(new StatsListener(ss));
        AsyncTrainer trainer = new AsyncTrainer.Builder(model)
                .workers(2)
                .algorithm(Algorithm.SYNC)
                .build();
        List<DataSet> train = TinyNets.blobs(6, 8, 1);
        for (int fit = 0; fit < 3; fit++) {
            trainer.fit(TinyNets.iterator(train));
        }
        assertThat(ss.listSessionIDs()).hasSize(1);
        assertThat(ss.listWorkerIDsForSession(ss.listSessionIDs().get(0))).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(ParameterStore.Kind.class)
    void everyComputedMinibatchFiresEachPassEventOnceAndEveryUpdateOneIteration(ParameterStore.Kind store) {
        Counting counting = new Counting();
        ComputationGraph g = TinyGraphs.residual(3, 0);
        TrainingReport r = new AsyncTrainer.Builder(g)
                .workers(2)
                .store(store)
                .listeners(counting, new TestListener())
                .build()
                .fit(TinyNets.iterator(TinyNets.blobs(30, 8, 2)), 2);
        long computed = r.gradientsComputed();
        assertThat(computed).isEqualTo(60);
        assertThat(counting.forward.get()).isEqualTo(computed);
        assertThat(counting.gradient.get()).isEqualTo(computed);
        assertThat(counting.backward.get()).isEqualTo(computed);
        assertThat(counting.iterations.get()).isEqualTo(r.stepsAccepted());
        // the routing listener's clones: one per worker, together every minibatch once
        assertThat(TestListener.instanceCount.get()).isEqualTo(1 + 2);
        assertThat(TestListener.forwardPassCount.get()).isEqualTo(computed);
        assertThat(counting.replicaModels)
                .as("pass events name the replica that computed")
                .doesNotContain(g);
    }

    /**
     * The reports of DL4J's StatsListener carry the update the shared parameters received and the parameters
     * themselves (DL4J's in-memory storage keeps one report per worker and millisecond, so not every update's).
     */
    @Test
    void statsListenerReportsTheSharedParametersAndTheAppliedUpdate() {
        MultiLayerNetwork model = TinyNets.net(1);
        StatsStorage ss = new InMemoryStatsStorage();
        new AsyncTrainer.Builder(model)
                .workers(2)
                .listeners(new StatsListener(ss))
                .build()
                .fit(TinyNets.iterator(TinyNets.blobs(20, 8, 1)), 1);
        assertThat(ss.listSessionIDs()).hasSize(1);
        String session = ss.listSessionIDs().get(0);
        int reported = 0;
        for (String worker : ss.listWorkerIDsForSession(session)) {
            StatsReport last = (StatsReport) ss.getLatestUpdate(session, StatsListener.TYPE_ID, worker);
            if (last == null) {
                continue;
            }
            reported++;
            Map<String, Double> updates = last.getMeanMagnitudes(StatsType.Updates);
            assertThat(updates).containsKeys("0_W", "0_b", "1_W", "1_b");
            assertThat(updates.get("0_W")).isPositive();
            assertThat(last.getMeanMagnitudes(StatsType.Parameters).get("0_W")).isPositive();
            assertThat(last.getScore()).isPositive();
        }
        assertThat(reported).isPositive();
    }

    /** Counts the pass and iteration events (not a routing listener: it gets every one). */
    private static final class Counting extends BaseTrainingListener {
        final AtomicInteger forward = new AtomicInteger();
        final AtomicInteger gradient = new AtomicInteger();
        final AtomicInteger backward = new AtomicInteger();
        final AtomicInteger iterations = new AtomicInteger();
        final Set<Model> replicaModels = Collections.newSetFromMap(new java.util.IdentityHashMap<>());

        @Override
        public void onForwardPass(Model model, List<INDArray> activations) {
            forward.incrementAndGet();
            replicaModels.add(model);
        }

        @Override
        public void onForwardPass(Model model, Map<String, INDArray> activations) {
            forward.incrementAndGet();
            replicaModels.add(model);
        }

        @Override
        public void onGradientCalculation(Model model) {
            gradient.incrementAndGet();
        }

        @Override
        public void onBackwardPass(Model model) {
            backward.incrementAndGet();
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            iterations.incrementAndGet();
        }
    }

    /** DL4J's TestListener, as in its TestListeners. */
    private static class TestListener extends BaseTrainingListener implements RoutingIterationListener {
        private static final AtomicInteger forwardPassCount = new AtomicInteger();
        private static final AtomicInteger backwardPassCount = new AtomicInteger();
        private static final AtomicInteger instanceCount = new AtomicInteger();
        private static final Set<String> workerIDs = Collections.newSetFromMap(new ConcurrentHashMap<>());
        private static final Set<String> sessionIDs = Collections.newSetFromMap(new ConcurrentHashMap<>());

        static void clearCounts() {
            forwardPassCount.set(0);
            backwardPassCount.set(0);
            instanceCount.set(0);
            workerIDs.clear();
            sessionIDs.clear();
        }

        TestListener() {
            instanceCount.incrementAndGet();
        }

        @Override
        public void onForwardPass(Model model, List<INDArray> activations) {
            forwardPassCount.incrementAndGet();
        }

        @Override
        public void onForwardPass(Model model, Map<String, INDArray> activations) {
            forwardPassCount.incrementAndGet();
        }

        @Override
        public void onBackwardPass(Model model) {
            backwardPassCount.getAndIncrement();
        }

        @Override
        public void setStorageRouter(StatsStorageRouter router) {}

        @Override
        public StatsStorageRouter getStorageRouter() {
            return null;
        }

        @Override
        public void setWorkerID(String workerID) {
            workerIDs.add(workerID);
        }

        @Override
        public String getWorkerID() {
            return null;
        }

        @Override
        public void setSessionID(String sessionID) {
            sessionIDs.add(sessionID);
        }

        @Override
        public String getSessionID() {
            return "session_id";
        }

        @Override
        public RoutingIterationListener clone() {
            return new TestListener();
        }
    }
}
