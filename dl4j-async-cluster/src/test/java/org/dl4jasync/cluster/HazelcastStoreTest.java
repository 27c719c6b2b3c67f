package org.dl4jasync.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.model.TrainableModel;
import org.dl4jasync.parameters.StepScaler;
import org.dl4jasync.parameters.WorkerView;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The cluster store's exactness on three members in this JVM: counts, τ, sums, the bound, the shards' versions. */
class HazelcastStoreTest {
    private static LocalCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new LocalCluster(3);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static MultiLayerNetwork zeroNet() {
        MultiLayerNetwork net = TinyNets.net(1);
        net.params().assign(0);
        return net;
    }

    /**
     * A shared optimizer state over two members: 4 threads × 30 updates whose formation adds 1 to every state element
     * (and leaves the update at 1): every change lands once, none lost to a concurrent one.
     */
    @Test
    void everyUpdatesChangeOfTheSharedStateLandsOnce() throws Exception {
        MultiLayerNetwork net = zeroNet();
        long n = net.numParams();
        List<HazelcastStore> stores = List.of(
                new HazelcastStore(
                        cluster.member(0),
                        "state",
                        TrainableModel.of(net),
                        3,
                        1,
                        Duration.ofSeconds(10),
                        Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 2 * n)),
                new HazelcastStore(
                        cluster.member(1),
                        "state",
                        TrainableModel.of(zeroNet()),
                        3,
                        1,
                        Duration.ofSeconds(10),
                        Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 2 * n)));
        assertThat(stores.get(0).hasSharedState()).isTrue();
        List<java.util.concurrent.CompletableFuture<Void>> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            HazelcastStore store = stores.get(t % 2);
            threads.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
                WorkerView view = store.newWorkerView(0);
                INDArray ones = Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, n);
                INDArray mine = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 2 * n);
                org.dl4jasync.parameters.UpdateFormer former = new org.dl4jasync.parameters.UpdateFormer() {
                    @Override
                    public INDArray state() {
                        return mine;
                    }

                    @Override
                    public void form() {
                        mine.addi(1);
                    }
                };
                for (int i = 0; i < 30; i++) {
                    long read = view.read();
                    view.release();
                    assertThat(view.apply(ones, read, Long.MAX_VALUE, StepScaler.UNIT, former))
                            .isGreaterThanOrEqualTo(0);
                }
            }));
        }
        for (var f : threads) {
            f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        INDArray state = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 2 * n);
        stores.get(1).copySharedStateTo(state);
        assertThat(state.minNumber().doubleValue()).isEqualTo(120.0);
        assertThat(state.maxNumber().doubleValue()).isEqualTo(120.0);
        INDArray params = net.params().dup();
        stores.get(0).copyLatestTo(params);
        assertThat(params.minNumber().doubleValue()).isEqualTo(-120.0);
        assertThat(params.maxNumber().doubleValue()).isEqualTo(-120.0);
    }

    @Test
    void theShardsAreSpreadOverTheMembersAndTheStartIsTheFirstMembers() {
        MultiLayerNetwork a = TinyNets.net(1);
        MultiLayerNetwork b = TinyNets.net(2); // another start: replaced by the cluster's at its first read
        HazelcastStore first =
                new HazelcastStore(cluster.member(0), "spread", TrainableModel.of(a), 12, 1, Duration.ofSeconds(10));
        HazelcastStore second =
                new HazelcastStore(cluster.member(1), "spread", TrainableModel.of(b), 12, 1, Duration.ofSeconds(10));
        INDArray seen = b.params().dup();
        second.copyLatestTo(seen);
        assertThat(seen).isEqualTo(a.params());
        assertThat(first.version()).isZero();
        long owners = cluster.member(0).getMap("spread.params").keySet().stream()
                .map(k ->
                        cluster.member(0).getPartitionService().getPartition(k).getOwner())
                .distinct()
                .count();
        assertThat(owners).as("members owning shards").isGreaterThan(1);
    }

    @Test
    void concurrentUpdatesFromTwoMembersAreEachAppliedOnceWithDistinctTickets() throws Exception {
        MultiLayerNetwork net = zeroNet();
        int threads = 4;
        int steps = 60;
        List<HazelcastStore> stores = List.of(
                new HazelcastStore(cluster.member(0), "exact", TrainableModel.of(net), 7, 1, Duration.ofSeconds(10)),
                new HazelcastStore(
                        cluster.member(1), "exact", TrainableModel.of(zeroNet()), 7, 1, Duration.ofSeconds(10)));
        ConcurrentLinkedQueue<Long> tickets = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        ConcurrentLinkedQueue<Throwable> failed = new ConcurrentLinkedQueue<>();
        for (int t = 0; t < threads; t++) {
            HazelcastStore store = stores.get(t % 2);
            Thread w = new Thread(() -> {
                try {
                    WorkerView view = store.newWorkerView(0);
                    INDArray ones = Nd4j.ones(view.replica().params().dataType(), 1, store.length());
                    go.await();
                    for (int i = 0; i < steps; i++) {
                        long read = view.read();
                        view.release();
                        long tau = view.apply(ones, read, StepScaler.UNIT);
                        assertThat(tau).isGreaterThanOrEqualTo(0);
                        tickets.add(read + tau);
                    }
                } catch (Throwable e) {
                    failed.add(e);
                }
            });
            workers.add(w);
            w.start();
        }
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertThat(failed).isEmpty();
        long total = (long) threads * steps;
        assertThat(stores.get(0).version()).isEqualTo(total);
        assertThat(tickets)
                .as("each update took its own version")
                .doesNotHaveDuplicates()
                .hasSize((int) total);
        assertThat(tickets.stream().mapToLong(Long::longValue).max().getAsLong())
                .isEqualTo(total - 1);
        assertThat(stores.get(1).shardVersions()).containsOnly(total);
        INDArray latest = net.params().dup();
        stores.get(1).copyLatestTo(latest);
        assertThat(latest.minNumber().doubleValue()).isEqualTo(-total);
        assertThat(latest.maxNumber().doubleValue()).isEqualTo(-total);
    }

    @Test
    void aBoundedApplyNeverExceedsItsBoundAndAStaleOneTakesNoVersion() {
        MultiLayerNetwork net = zeroNet();
        HazelcastStore store =
                new HazelcastStore(cluster.member(2), "bounded", TrainableModel.of(net), 3, 0, Duration.ofSeconds(10));
        WorkerView slow = store.newWorkerView(0);
        WorkerView fast = store.newWorkerView(1);
        INDArray ones = Nd4j.ones(slow.replica().params().dataType(), 1, store.length());
        long slowRead = slow.read();
        for (int i = 0; i < 3; i++) {
            long r = fast.read();
            assertThat(fast.apply(ones, r, 0, StepScaler.UNIT)).isZero();
        }
        assertThat(slow.apply(ones, slowRead, 2, StepScaler.UNIT)).isEqualTo(WorkerView.STALE);
        assertThat(store.version()).isEqualTo(3);
        assertThat(slow.apply(ones, slowRead, 3, StepScaler.UNIT)).isEqualTo(3);
        assertThat(store.version()).isEqualTo(4);
        assertThat(store.shardVersions()).containsOnly(4L);
    }

    @Test
    void theFactorOfTheUpdatesStalenessIsApplied() {
        MultiLayerNetwork net = zeroNet();
        HazelcastStore store =
                new HazelcastStore(cluster.member(0), "scaled", TrainableModel.of(net), 2, 1, Duration.ofSeconds(10));
        WorkerView view = store.newWorkerView(0);
        INDArray ones = Nd4j.ones(view.replica().params().dataType(), 1, store.length());
        long r = view.read();
        view.apply(ones, r, tau -> 0.5);
        INDArray latest = net.params().dup();
        store.copyLatestTo(latest);
        assertThat(latest.maxNumber().doubleValue()).isEqualTo(-0.5);
        assertThat(store.traffic().sentBytes()).isGreaterThan(4L * store.length());
    }
}
