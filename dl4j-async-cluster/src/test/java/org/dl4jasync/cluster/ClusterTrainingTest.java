package org.dl4jasync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.dispatch.DispatchSpec;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.spec.InvalidOptionException;
import org.dl4jasync.testing.TinyNets;
import org.dl4jasync.trainer.AsyncTrainer;
import org.dl4jasync.trainer.Simulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Trainers whose parameters live on a three-member cluster in this JVM: the reports' counts are exact. */
class ClusterTrainingTest {
    private static LocalCluster cluster;
    private static final List<DataSet> DATA = TinyNets.blobs(20, 16, 3);

    @BeforeAll
    static void start() {
        cluster = new LocalCluster(3);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static long clock(String store) {
        return (Long) cluster.member(2).getMap(store + ".clock").get(HazelcastStore.CLOCK);
    }

    private static long[] shardVersions(String store) {
        return cluster
                .member(2)
                .<Integer, Shard>getMap(store + ".params")
                .getAll(java.util.Set.of(0, 1, 2))
                .values()
                .stream()
                .mapToLong(sh -> sh.version)
                .toArray();
    }

    private static long histogramTotal(TrainingReport r) {
        return r.staleness().histogram().stream().mapToLong(e -> e[1]).sum();
    }

    @Test
    void anAsyncTrainingOnTheClusterCountsEveryUpdateOnceAndLearns() {
        MultiLayerNetwork net = TinyNets.net(7);
        double before = net.score(DATA.get(0));
        TrainingReport r = new AsyncTrainer.Builder(net)
                .workers(2)
                .store(ClusterStore.on(cluster.member(0)).withName("async").withShards(5))
                .maxSteps(200)
                .seed(7)
                .build()
                .fit(TinyNets.iterator(DATA), 100);
        assertThat(r.stepsAccepted()).isEqualTo(200);
        assertThat(histogramTotal(r)).isEqualTo(200);
        assertThat(r.store()).isEqualTo("hazelcast");
        assertThat(r.config()).containsEntry("cluster_shards", 5).containsEntry("cluster_members", 3);
        assertThat(clock("async")).isEqualTo(200);
        assertThat(shardVersions("async")).containsOnly(200L);
        assertThat(net.score(DATA.get(0)))
                .as("the network holds the cluster's trained parameters")
                .isLessThan(before);
        long n = net.numParams();
        assertThat(((Number) r.storeStats().get("bytes_sent_per_update")).doubleValue())
                .as("an update sends its floats once (to the shards' owners) and a ticket")
                .isBetween(4.0 * n, 4.0 * n + 16 + 8 * 5);
        assertThat(r.storeStats()).containsEntry("applied_here", 200L).containsEntry("clock", 200L);
    }

    @Test
    void aSharedOptimizerStateOnTheClusterIsTheNetworksAfterTheFit() {
        MultiLayerNetwork net = TinyNets.net(11); // Nesterov momentum: a velocity per parameter
        double before = net.score(DATA.get(0));
        TrainingReport r = new AsyncTrainer.Builder(net)
                .workers(2)
                .optimizerState(org.dl4jasync.config.OptimizerState.SHARED)
                .store(ClusterStore.on(cluster.member(1)).withName("shared").withShards(3))
                .maxSteps(100)
                .seed(11)
                .build()
                .fit(TinyNets.iterator(DATA), 100);
        assertThat(r.stepsAccepted()).isEqualTo(100);
        assertThat(r.config()).containsEntry("optimizer_state", "shared");
        assertThat(net.score(DATA.get(0))).isLessThan(before);
        INDArray cluster = net.getUpdater().getStateViewArray().dup();
        new HazelcastStore(
                        ClusterTrainingTest.cluster.member(2),
                        "shared",
                        org.dl4jasync.model.TrainableModel.of(net),
                        3,
                        1,
                        ClusterStore.DEFAULT_TIMEOUT,
                        net.getUpdater().getStateViewArray())
                .copySharedStateTo(cluster);
        assertThat(cluster.sumNumber().doubleValue()).as("the velocity moved").isNotZero();
        assertThat(net.getUpdater().getStateViewArray())
                .as("the network's updater holds the cluster's state after the fit")
                .isEqualTo(cluster);
        long n = net.numParams();
        assertThat(((Number) r.storeStats().get("bytes_sent_per_update")).doubleValue())
                .as("an update sends its floats and the velocity's change")
                .isGreaterThan(8.0 * n);
    }

    @Test
    void aBoundedTrainingNeverAppliesAnUpdateAboveItsBound() {
        MultiLayerNetwork net = TinyNets.net(8);
        TrainingReport r = new AsyncTrainer.Builder(net)
                .workers(3)
                .dispatch(DispatchSpec.Bounded.of(1))
                .store(ClusterStore.on(cluster.member(1)).withName("bounded").withShards(3))
                .maxSteps(120)
                .seed(8)
                .build()
                .fit(TinyNets.iterator(DATA), 100);
        assertThat(r.stepsAccepted()).isEqualTo(120);
        assertThat(histogramTotal(r)).isEqualTo(120);
        assertThat(r.staleness().max()).isLessThanOrEqualTo(1);
        assertThat(clock("bounded")).isEqualTo(120);
        assertThat(shardVersions("bounded")).containsOnly(120L);
    }

    @Test
    void twoTrainersOnTwoMembersShareOneStoreAndTheirUpdatesAddUp() {
        CompletableFuture<TrainingReport> a = CompletableFuture.supplyAsync(() -> new AsyncTrainer.Builder(
                        TinyNets.net(9))
                .workers(1)
                .store(ClusterStore.on(cluster.member(0)).withName("two").withShards(4))
                .maxSteps(80)
                .seed(1)
                .build()
                .fit(TinyNets.iterator(DATA), 100));
        CompletableFuture<TrainingReport> b = CompletableFuture.supplyAsync(() -> new AsyncTrainer.Builder(
                        TinyNets.net(9))
                .workers(1)
                .store(ClusterStore.on(cluster.member(1)).withName("two").withShards(4))
                .maxSteps(80)
                .seed(2)
                .build()
                .fit(TinyNets.iterator(DATA), 100));
        TrainingReport ra = a.join();
        TrainingReport rb = b.join();
        assertThat(ra.stepsAccepted()).as("each process counts its own updates").isEqualTo(80);
        assertThat(rb.stepsAccepted()).isEqualTo(80);
        assertThat(histogramTotal(ra)).isEqualTo(80);
        assertThat(histogramTotal(rb)).isEqualTo(80);
        assertThat(ra.staleness().max() + rb.staleness().max())
                .as("the other process's updates count in τ")
                .isPositive();
        assertThat(clock("two")).isEqualTo(160);
        HazelcastStore view = new HazelcastStore(
                cluster.member(2),
                "two",
                org.dl4jasync.model.TrainableModel.of(TinyNets.net(9)),
                4,
                1,
                ClusterStore.DEFAULT_TIMEOUT);
        assertThat(view.shardVersions()).containsOnly(160L);
    }

    @Test
    void intervalsSpanBothProcessesAndBoundEveryUpdatesStaleness() {
        int y = 3;
        java.util.function.IntFunction<CompletableFuture<TrainingReport>> member =
                k -> CompletableFuture.supplyAsync(() -> new AsyncTrainer.Builder(TinyNets.net(9))
                        .workers(2)
                        .dispatch(DispatchSpec.Interval.of(y, new org.dl4jasync.dispatch.IntervalSchedule.Fixed()))
                        .store(ClusterStore.on(cluster.member(k))
                                .withName("interval")
                                .withShards(3))
                        .maxSteps(60)
                        .seed(k)
                        .build()
                        .fit(TinyNets.iterator(DATA), 100));
        CompletableFuture<TrainingReport> a = member.apply(0);
        CompletableFuture<TrainingReport> b = member.apply(1);
        TrainingReport ra = a.join();
        TrainingReport rb = b.join();
        assertThat(clock("interval")).isEqualTo(120);
        for (TrainingReport r : List.of(ra, rb)) {
            assertThat(r.stepsAccepted()).isEqualTo(60);
            assertThat(histogramTotal(r)).isEqualTo(60);
            assertThat(r.staleness().max())
                    .as("τ ≤ y − 1 over both processes' updates")
                    .isLessThanOrEqualTo(y - 1);
            assertThat(r.algorithm()).isEqualTo("interval");
        }
        IntervalState s =
                (IntervalState) cluster.member(2).getMap("interval.interval").get(0);
        assertThat(s.acceptedTotal).isEqualTo(120);
        assertThat(s.index).as("every interval has y applied updates").isEqualTo(120 / y);
        assertThat(Math.max(ra.staleness().max(), rb.staleness().max()))
                .as("the other process's updates count")
                .isPositive();
    }

    @Test
    void sspBoundsTheClocksOfBothProcessesWorkersAndAMemberThatEndsHoldsNoOneBack() {
        java.util.function.IntFunction<CompletableFuture<TrainingReport>> member =
                k -> CompletableFuture.supplyAsync(() -> new AsyncTrainer.Builder(TinyNets.net(9))
                        .workers(2)
                        .dispatch(new DispatchSpec.Ssp(1))
                        .store(ClusterStore.on(cluster.member(k))
                                .withName("ssp")
                                .withShards(3))
                        .maxSteps(k == 0 ? 30 : 90) // member 0 ends first: member 1 must go on without it
                        .seed(k)
                        .build()
                        .fit(TinyNets.iterator(DATA), 100));
        CompletableFuture<TrainingReport> a = member.apply(0);
        CompletableFuture<TrainingReport> b = member.apply(1);
        TrainingReport ra =
                a.orTimeout(120, java.util.concurrent.TimeUnit.SECONDS).join();
        TrainingReport rb =
                b.orTimeout(120, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(ra.stepsAccepted()).isEqualTo(30);
        assertThat(rb.stepsAccepted()).isEqualTo(90);
        assertThat(clock("ssp")).isEqualTo(120);
        for (TrainingReport r : List.of(ra, rb)) {
            assertThat(r.algorithm()).isEqualTo("ssp");
            assertThat(r.clockSpreadMax()).isLessThanOrEqualTo(1);
        }
        SspState s = (SspState) cluster.member(2).getMap("ssp.ssp").get(0);
        assertThat(s.clocks).hasSize(4);
        java.util.UUID first = cluster.member(0).getCluster().getLocalMember().getUuid();
        long mine = 0;
        long theirs = 0;
        for (int v = 0; v < 4; v++) {
            if (s.owners[v].equals(first)) {
                mine += s.clocks[v];
            } else {
                theirs += s.clocks[v];
            }
        }
        assertThat(mine).as("member 0's workers' clocks count its steps").isEqualTo(30);
        assertThat(theirs).isEqualTo(90);
        assertThat(s.benched).as("both members left the clocks at their end").containsOnly(true);
    }

    @Test
    void theOptionsRefuseWhatTheClusterStoreCannotDo() {
        ClusterStore store = ClusterStore.on(cluster.member(0));
        assertThatThrownBy(() -> new AsyncTrainer.Builder(TinyNets.net(1))
                        .algorithm(Algorithm.SYNC)
                        .store(store)
                        .build())
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("store");
        assertThatThrownBy(() ->
                        new AsyncTrainer.Builder(TinyNets.net(1)).store(store).persistence(2))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("persistence");
        assertThatThrownBy(() -> new AsyncTrainer.Builder(TinyNets.net(1))
                        .dispatch(DispatchSpec.Interval.auto(new org.dl4jasync.dispatch.IntervalSchedule.Fixed()))
                        .store(store)
                        .build())
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("y0 auto");
        assertThatThrownBy(() -> new Simulator.Builder(2, org.dl4jasync.simulation.StepTimes.parse("constant:1", 2))
                        .store(store)
                        .maxSteps(5)
                        .build())
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("in-process store");
    }
}
