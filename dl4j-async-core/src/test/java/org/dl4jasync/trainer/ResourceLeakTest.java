package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * 50 cycles of build, fit and close leave nothing behind (ParallelWrapper's users report memory growth across
 * {@code fit} calls): no live thread more than before, and every network, trainer and run (with its replicas,
 * stores and batch source) of a finished cycle is collectable — ND4J frees an array's native memory when its Java
 * object is collected, so nothing held means no native memory held. Physical memory is checked only for gross
 * growth: it moves by tens of MB with the allocator's arenas.
 *
 * <p>Not usable as a measure here: JavaCPP's {@code Pointer.totalBytes()} (ND4J's buffers are not counted in it),
 * and ND4J's {@code AllocationsTracker} for workspaces, which counts 1 KiB more on every workspace's creation than
 * on its destruction (its safety offset), so it grows by 16 KiB per cycle of 4 worker threads without a leak.
 */
@Timeout(300)
class ResourceLeakTest {
    private static final List<DataSet> TRAIN = TinyNets.blobs(30, 8, 7);

    /** 4 → 512 → 3 (4,611 parameters): big enough that a leak per cycle would show in physical memory. */
    private static MultiLayerNetwork wide(long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Nesterovs(0.05, 0.5))
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(TinyNets.IN)
                        .nOut(512)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(512)
                        .nOut(TinyNets.CLASSES)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
        net.init();
        return net;
    }

    /** One cycle; weak references to what it made go to {@code made}. */
    private static void cycle(int i, List<WeakReference<Object>> made) {
        ParameterStore.Kind store = ParameterStore.Kind.values()[i % 3];
        // every asynchronous algorithm (async … abs), and async with elastic parallelism
        int k = i % 7;
        Algorithm algorithm = k == 6 ? Algorithm.ASYNC : Algorithm.values()[2 + k];
        MultiLayerNetwork net = wide(i);
        made.add(new WeakReference<>(net));
        AsyncTrainer.Builder b = new AsyncTrainer.Builder(net);
        if (k == 6) {
            b.elastic(org.dl4jasync.parallelism.ElasticSpec.Probing.DEFAULT);
        }
        try (AsyncTrainer t =
                b.workers(4).store(store).algorithm(algorithm).maxSteps(40).build()) {
            made.add(new WeakReference<>(t));
            t.addListeners(new BaseTrainingListener() {
                private boolean seen;

                @Override
                public void iterationDone(Model model, int iteration, int epoch) {
                    if (!seen) {
                        seen = true;
                        made.add(new WeakReference<>(t.runInProgress()));
                    }
                }
            });
            t.fit(TinyNets.iterator(TRAIN), Integer.MAX_VALUE);
        }
    }

    private static long alive(List<WeakReference<Object>> refs) throws InterruptedException {
        long alive = refs.size();
        for (int k = 0; k < 10 && alive > 0; k++) {
            System.gc();
            Thread.sleep(50);
            alive = refs.stream().filter(r -> r.get() != null).count();
        }
        return alive;
    }

    @Test
    void fiftyCyclesOfBuildFitCloseLeaveNoThreadsAndNothingReachable() throws Exception {
        List<WeakReference<Object>> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) { // warm-up: one-time allocations, JIT, the allocator's arenas
            cycle(i, made);
        }
        alive(made);
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        long physicalBefore = Pointer.physicalBytes();
        made.clear();
        for (int i = 5; i < 55; i++) {
            cycle(i, made);
        }
        assertThat(made).hasSize(150); // a network, a trainer and a run per cycle
        assertThat(alive(made))
                .as("networks, trainers and runs still reachable after 50 cycles")
                .isZero();
        assertThat(ManagementFactory.getThreadMXBean().getThreadCount())
                .as("live threads")
                .isLessThanOrEqualTo(threadsBefore);
        assertThat(Pointer.physicalBytes() - physicalBefore)
                .as("physical memory growth over 50 cycles")
                .isLessThan(128L << 20);
    }
}
