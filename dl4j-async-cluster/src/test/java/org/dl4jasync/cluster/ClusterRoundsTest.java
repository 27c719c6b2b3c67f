package org.dl4jasync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dl4jasync.dispatch.DispatchSpec;
import org.dl4jasync.dispatch.KAsyncPolicy;
import org.dl4jasync.dispatch.RoundBoard;
import org.dl4jasync.dispatch.RoundSpec;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.model.TrainableModel;
import org.dl4jasync.spec.InvalidOptionException;
import org.dl4jasync.testing.TinyNets;
import org.dl4jasync.trainer.AsyncTrainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** K-async and ABS whose rounds are filled by the workers of two members (in this JVM): exact rounds and counts. */
class ClusterRoundsTest {
    private static LocalCluster cluster;
    private static final List<DataSet> DATA = TinyNets.blobs(20, 16, 3);

    @BeforeAll
    static void start() {
        cluster = new LocalCluster(2);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static HazelcastStore store(int member, String name, int shards) {
        return new HazelcastStore(
                cluster.member(member),
                name,
                TrainableModel.of(TinyNets.net(3)),
                shards,
                1,
                ClusterStore.DEFAULT_TIMEOUT);
    }

    /** A 2-worker trainer on {@code member}'s cluster (store {@code store}, 3 shards), started on another thread. */
    private static CompletableFuture<TrainingReport> train(
            com.hazelcast.core.HazelcastInstance member,
            String store,
            DispatchSpec dispatch,
            long maxSteps,
            long seed) {
        return train(member, store, dispatch, maxSteps, ClusterStore.DEFAULT_TIMEOUT, seed);
    }

    private static CompletableFuture<TrainingReport> train(
            com.hazelcast.core.HazelcastInstance member,
            String store,
            DispatchSpec dispatch,
            long maxSteps,
            java.time.Duration timeout,
            long seed) {
        return CompletableFuture.supplyAsync(() -> new AsyncTrainer.Builder(TinyNets.net(9))
                .workers(2)
                .dispatch(dispatch)
                .store(ClusterStore.on(member).withName(store).withShards(3).withTimeout(timeout))
                .maxSteps(maxSteps)
                .seed(seed)
                .build()
                .fit(TinyNets.iterator(DATA), 1_000));
    }

    private static long total(TrainingReport r) {
        return r.staleness().histogram().stream().mapToLong(e -> e[1]).sum();
    }

    /**
     * Four threads on two members submit 25 updates each with K = 2: 50 rounds, every shard applies all 50, and the
     * parameters moved by exactly the mean of each round's pair, i.e. by (sum of all submissions) / 2.
     */
    @Test
    void roundsOfKSubmissionsFromBothMembersAreAppliedOnceEachAsTheirAverage() throws Exception {
        HazelcastStore a = store(0, "board", 3);
        HazelcastStore b = store(1, "board", 3);
        float[] start = new float[(int) a.length()];
        INDArray read = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, a.length());
        a.copyLatestTo(read);
        start = read.toFloatVector();
        RoundBoard ba =
                new HazelcastRounds(a, "board", KAsyncPolicy.fixed(2, 4), 2, () -> {}, ClusterStore.DEFAULT_TIMEOUT);
        RoundBoard bb =
                new HazelcastRounds(b, "board", KAsyncPolicy.fixed(2, 4), 2, () -> {}, ClusterStore.DEFAULT_TIMEOUT);
        List<CompletableFuture<Double>> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            RoundBoard board = t < 2 ? ba : bb;
            int id = t;
            threads.add(CompletableFuture.supplyAsync(() -> {
                double sum = 0;
                for (int i = 0; i < 25; i++) {
                    double value = id * 100 + i + 1;
                    RoundBoard.Entry e = board.take(board.closed(), Double.NaN);
                    assertThat(e.restarts()).isFalse();
                    board.deposit(e, Nd4j.valueArrayOf(new long[] {1, a.length()}, value, read.dataType()), 1.0);
                    sum += value;
                }
                return sum;
            }));
        }
        double all = 0;
        for (CompletableFuture<Double> f : threads) {
            all += f.get(60, TimeUnit.SECONDS);
        }
        assertThat(a.shardVersions()).containsOnly(50L);
        assertThat(a.applied() + b.applied())
                .as("each round counted once, by its completer")
                .isEqualTo(50);
        a.copyLatestTo(read);
        float[] now = read.toFloatVector();
        for (int i = 0; i < now.length; i++) {
            assertThat((double) now[i]).isCloseTo(start[i] - all / 2, org.assertj.core.data.Offset.offset(0.05));
        }
        RoundState rs = (RoundState) cluster.member(1).getMap("board.rounds").get(0);
        assertThat(rs.open).isEqualTo(50);
        assertThat(rs.count).isZero();
        ba.ended();
        bb.ended();
        rs = (RoundState) cluster.member(1).getMap("board.rounds").get(0);
        assertThat(rs.present).as("both members left").isEmpty();
    }

    @Test
    void aKAsyncTrainingOverTwoMembersFillsRoundsFromBothAndEverySubmissionIsCountedOnce() {
        // member 0 ends first: its departure must not stall the rounds
        CompletableFuture<TrainingReport> fa = train(cluster.member(0), "kasync", RoundSpec.KAsync.of(3), 20, 0);
        CompletableFuture<TrainingReport> fb = train(cluster.member(1), "kasync", RoundSpec.KAsync.of(3), 40, 1);
        TrainingReport ra = fa.orTimeout(120, TimeUnit.SECONDS).join();
        TrainingReport rb = fb.orTimeout(120, TimeUnit.SECONDS).join();
        assertThat(ra.algorithm()).isEqualTo("kasync");
        assertThat(ra.rounds())
                .as("member 0 completed its budget's 20 rounds, and one more if its departure completed the open one")
                .isBetween(20L, 21L);
        assertThat(rb.rounds()).isBetween(40L, 41L);
        long rounds = ra.rounds() + rb.rounds();
        long[] versions =
                cluster
                        .member(1)
                        .<Integer, Shard>getMap("kasync.params")
                        .getAll(java.util.Set.of(0, 1, 2))
                        .values()
                        .stream()
                        .mapToLong(s -> s.version)
                        .toArray();
        assertThat(versions)
                .as("every shard applied every round, and the members' counts add up to them")
                .containsOnly(rounds);
        RoundState rs = (RoundState) cluster.member(1).getMap("kasync.rounds").get(0);
        assertThat(rs.open).isEqualTo(rounds);
        long uploads = ra.uploads() + rb.uploads();
        assertThat(total(ra) + total(rb)).as("each submission has one τ").isEqualTo(uploads);
        assertThat(uploads)
                .as("rounds of K = 3, lowered to 2 while only one member's 2 workers are in (before member 1 joined, "
                        + "after member 0 left)")
                .isBetween(2L * rounds, 3L * rounds)
                .isGreaterThan(2L * rounds);
        assertThat(Math.max(ra.staleness().max(), rb.staleness().max()))
                .as("a worker not among a round's K submits later, stale")
                .isPositive();
    }

    @Test
    void absRestartsAWorkerWhoseBaseLagsMoreThanSRoundsAcrossMembers() {
        // c = 1: S = max(1, ⌊1/K⌋) = 1 for every K
        RoundSpec abs = new RoundSpec.Abs(OptionalInt.of(1), OptionalDouble.of(1), 1);
        CompletableFuture<TrainingReport> fa = train(cluster.member(0), "abs", abs, 40, 0);
        CompletableFuture<TrainingReport> fb = train(cluster.member(1), "abs", abs, 40, 1);
        TrainingReport ra = fa.orTimeout(120, TimeUnit.SECONDS).join();
        TrainingReport rb = fb.orTimeout(120, TimeUnit.SECONDS).join();
        assertThat(ra.algorithm()).isEqualTo("abs");
        assertThat(Math.max(ra.staleness().max(), rb.staleness().max()))
                .as("no submission more than S = 1 round stale is applied")
                .isLessThanOrEqualTo(1);
        assertThat(ra.restarts() + rb.restarts())
                .as("with 4 workers and K = 1 some bases lag 2 rounds")
                .isPositive();
        assertThat(total(ra) + total(rb)).isEqualTo(ra.uploads() + rb.uploads());
    }

    /**
     * A member lost in the middle of a K-async training (its instance terminated, as a crash): the other member's
     * training never hangs. It ends, either at its budget (the lost member's workers are removed from the rounds
     * and a round it had entered completes) or within the timeout with the cluster's failure naming the lost member.
     */
    @Test
    void aMemberLostMidTrainingNeverHangsTheOthersRounds() throws Exception {
        try (LocalCluster three = new LocalCluster(3)) {
            CompletableFuture<TrainingReport> survivor =
                    train(three.member(0), "lost", RoundSpec.KAsync.of(3), 150, java.time.Duration.ofSeconds(5), 0);
            CompletableFuture<TrainingReport> doomed =
                    train(three.member(1), "lost", RoundSpec.KAsync.of(3), 100_000, java.time.Duration.ofSeconds(5), 1);
            Thread.sleep(3_000);
            three.member(1).getLifecycleService().terminate();
            Throwable[] outcome = new Throwable[1];
            TrainingReport r = survivor.handle((rep, e) -> {
                        outcome[0] = e;
                        return rep;
                    })
                    .get(90, TimeUnit.SECONDS); // no hang: ends within its budget or the timeout
            if (r != null) {
                assertThat(r.rounds()).isGreaterThanOrEqualTo(150);
            } else {
                assertThat(outcome[0]).hasStackTraceContaining("members lost");
            }
            doomed.handle((rep, e) -> null).get(90, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCustomRoundPolicyIsRefused() {
        assertThatThrownBy(() -> new AsyncTrainer.Builder(TinyNets.net(1))
                        .dispatch(new RoundSpec.KAsync(OptionalInt.of(1), false, 1, m -> KAsyncPolicy.fixed(1, m)))
                        .store(ClusterStore.on(cluster.member(0)))
                        .build())
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("custom round policy");
        assertThat(new DispatchSpec.Ssp(1)).isNotNull();
    }
}
