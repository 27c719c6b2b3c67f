package org.dl4jasync.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.map.IMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.dl4jasync.dispatch.RoundBoard;
import org.dl4jasync.dispatch.RoundPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The rounds of K-async, AdaSync and ABS over a cluster, as a parameter server keeps them: the decisions in one
 * {@link RoundState} entry (which round a submission enters, its τ, the restart, K and S), the round's sum beside
 * each parameter shard ({@link Shard#pending}), so that a submission is sent once, slice by slice, to the shards'
 * owners, which add it up and apply the average when the round is complete ({@link RoundDeposit}). No parameter
 * vector travels to a coordinator and back: per submission the network carries one update (its slices) and per round
 * one seal per shard, and a worker reads the model once per round it waits for.
 *
 * <p>A round is complete at a shard when its size is sealed (by the process whose submission completed it, or whose
 * worker's departure did) and every counted submission is deposited; shards apply rounds in order, so a shard's
 * version is the rounds it holds and the lowest over the shards is the rounds applied everywhere ({@link #closed}).
 * A worker that submitted to round r waits until round r is applied everywhere: this process learns it from the
 * answers of its own deposits and seals, and, while one of its workers waits, by asking the shards' versions every
 * {@link #POLL_MILLIS} ms (a few bytes each).
 *
 * <p>Departures: a worker whose data ended leaves ({@link #left}), a member whose run ended leaves with all of its
 * workers ({@link #ended}), and a member lost is removed by the others (membership listener); the open round then
 * completes if it has every submission that can still come. What is lost with a member: a submission it had entered
 * but not deposited keeps its round incomplete; the workers waiting on that round end the training after the timeout
 * naming the member ({@link #closedAfter}).
 *
 * <p>Shared fields: {@link #seen}[s] is the highest version of shard s any answer showed (raised by CAS, monotone);
 * {@link #closed} the lowest of them, recomputed after each raise (benign race: a stale lower value only makes a
 * worker look again). {@link #wanted}, {@link #waitingSince} and {@link #s} are volatile hints written by any worker.
 */
final class HazelcastRounds implements RoundBoard {
    static final long POLL_MILLIS = 2;

    private final HazelcastStore store;
    private final IMap<Integer, RoundState> map;
    private final ClusterCalls calls;
    private final ClusterTraffic traffic;
    private final String self;
    private final Runnable progress;
    private final long timeoutNanos;
    private final AtomicLongArray seen;
    private volatile long closed;
    /** The highest round a worker here waits for (−1: none). */
    private volatile long wanted = -1;
    /** When a worker here began to wait with no round applied since (0: none waits). */
    private volatile long waitingSince;

    private volatile long s;
    /** Rounds completed here by a departure (see {@link #completedByDepartures}). */
    private final java.util.concurrent.atomic.AtomicLong departures = new java.util.concurrent.atomic.AtomicLong();

    private final ScheduledExecutorService poller;
    private final UUID listener;

    HazelcastRounds(
            HazelcastStore store,
            String name,
            RoundPolicy policy,
            int workers,
            Runnable progress,
            java.time.Duration timeout) {
        this.store = store;
        this.calls = store.calls();
        this.traffic = store.traffic();
        this.progress = progress;
        this.timeoutNanos = timeout.toNanos();
        this.seen = new AtomicLongArray(store.shards());
        this.s = policy.maxRoundsBehind();
        String mapName = name + ".rounds";
        calls.configureMap(mapName);
        this.map = calls.hazelcast.getMap(mapName);
        this.self = calls.hazelcast.getCluster().getLocalMember().getUuid().toString();
        map.putIfAbsent(0, new RoundState(policy)); // the first member's policy is the training's
        call(RoundOp.join(self, workers), "joining the rounds");
        store.countRounds();
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dl4j-async-rounds-poller");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        this.listener = calls.hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {}

            @Override
            public void memberRemoved(MembershipEvent e) { // a lost member's workers are waited for no more
                map.submitToKey(0, RoundOp.leave(e.getMember().getUuid().toString(), -1))
                        .thenAcceptAsync(HazelcastRounds.this::sealIfCompleted, poller); // not on Hazelcast's thread
            }
        });
    }

    private long[] call(RoundOp op, String what) {
        long[] answer = calls.await(map.submitToKey(0, op).toCompletableFuture(), what);
        traffic.sent(RoundOp.PAYLOAD_BYTES);
        return answer;
    }

    @Override
    public long closed() {
        return closed;
    }

    @Override
    public boolean closedAfter(long round) {
        if (closed > round) {
            return true;
        }
        if (round > wanted) {
            wanted = round;
        }
        long now = System.nanoTime();
        long since = waitingSince;
        if (since == 0) {
            waitingSince = now;
        } else if (now - since > timeoutNanos) {
            throw new ClusterUnavailableException(
                    "round " + round + " has not been applied within " + timeoutNanos / 1_000_000
                            + " ms (rounds applied everywhere: " + closed + "): a member entered a submission "
                            + "and did not deposit it" + calls.lostMembers(),
                    null);
        }
        return false;
    }

    @Override
    public long maxRoundsBehind() {
        return s;
    }

    @Override
    public Entry take(long base, double loss) {
        Entry e = RoundOp.entry(call(RoundOp.take(base, loss), "entering a round"));
        traffic.received(RoundOp.ANSWER_BYTES);
        s = e.s();
        return e;
    }

    @Override
    public void deposit(Entry entry, INDArray update, double factor) {
        long t0 = System.nanoTime();
        float[] values = update.toFloatVector();
        int shards = seen.length();
        @SuppressWarnings("unchecked")
        CompletableFuture<Long>[] parts = new CompletableFuture[shards];
        for (int i = 0; i < shards; i++) {
            float[] part = store.slice(values, i);
            parts[i] = store.params()
                    .submitToKey(i, RoundDeposit.deposit(entry.round(), part, (float) factor))
                    .toCompletableFuture();
            traffic.sent(RoundDeposit.depositBytes(part.length));
        }
        learn(parts, "depositing a submission");
        if (entry.closes()) {
            seal(entry.round(), entry.closedWith());
            store.roundClosedHere();
        }
        traffic.applied(System.nanoTime() - t0);
    }

    /** Seals round {@code round} at {@code count} submissions on every shard. */
    private void seal(long round, int count) {
        int shards = seen.length();
        @SuppressWarnings("unchecked")
        CompletableFuture<Long>[] parts = new CompletableFuture[shards];
        for (int i = 0; i < shards; i++) {
            parts[i] = store.params()
                    .submitToKey(i, RoundDeposit.seal(round, count))
                    .toCompletableFuture();
            traffic.sent(RoundDeposit.SEAL_BYTES);
        }
        learn(parts, "sealing round " + round);
    }

    /** A leave's answer: when it completed the open round, seals it. */
    private void sealIfCompleted(long[] sealed) {
        if (sealed != null) {
            seal(sealed[0], (int) sealed[1]);
            departures.incrementAndGet();
            store.roundClosedHere();
        }
    }

    @Override
    public RoundPolicy policy() {
        RoundState rs = calls.await(map.getAsync(0).toCompletableFuture(), "reading the rounds");
        if (rs == null) {
            throw new ClusterUnavailableException("the training's rounds are missing" + calls.lostMembers(), null);
        }
        return rs.policy; // a copy: the read deserialised it
    }

    @Override
    public void restore(RoundPolicy policy) {
        call(RoundOp.restore(policy), "restoring the round policy");
    }

    @Override
    public long completedByDepartures() {
        return departures.get();
    }

    /** Waits for shard answers (versions) and raises what this process knows from them. */
    private void learn(CompletableFuture<Long>[] parts, String what) {
        calls.await(CompletableFuture.allOf(parts), what);
        boolean raised = false;
        for (int i = 0; i < parts.length; i++) {
            Long v = parts[i].join();
            traffic.received(Long.BYTES);
            if (v == null) {
                throw new ClusterUnavailableException(
                        "shard " + i + " of the store is missing: a member was lost with no backup of it"
                                + calls.lostMembers(),
                        null);
            }
            raised |= raise(i, v);
        }
        if (raised) {
            recompute();
        }
    }

    /** seen[i] ← max(seen[i], v); true when it rose. Invariant of the loop: seen[i] only grows. */
    private boolean raise(int i, long v) {
        long cur;
        while ((cur = seen.get(i)) < v) {
            if (seen.compareAndSet(i, cur, v)) {
                return true;
            }
        }
        return false;
    }

    /** closed ← min over the shards of what they showed; waiting workers look again when it rose. */
    private void recompute() {
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < seen.length(); i++) {
            lowest = Math.min(lowest, seen.get(i));
        }
        if (lowest > closed) {
            closed = lowest; // benign race: two recomputes may write out of order; a lower value is looked at again
            waitingSince = 0;
            progress.run();
        }
    }

    /** The poller: while a worker here waits for a round not known applied, asks the shards' versions. */
    private void poll() {
        if (wanted < closed) {
            return;
        }
        try {
            int shards = seen.length();
            @SuppressWarnings("unchecked")
            CompletableFuture<Long>[] parts = new CompletableFuture[shards];
            for (int i = 0; i < shards; i++) {
                parts[i] = store.params().submitToKey(i, new ShardVersion()).toCompletableFuture();
            }
            learn(parts, "reading the shards' versions");
        } catch (RuntimeException e) {
            // the waiting workers find the failure themselves (closedAfter's timeout)
        }
        progress.run(); // waiting workers look again (and time out when nothing moves)
    }

    @Override
    public void left() {
        sealIfCompleted(call(RoundOp.leave(self, 1), "leaving the rounds"));
    }

    @Override
    public void ended() {
        poller.shutdownNow();
        if (calls.hazelcast.getLifecycleService().isRunning()) {
            calls.hazelcast.getCluster().removeMembershipListener(listener);
            try {
                sealIfCompleted(call(RoundOp.leave(self, -1), "leaving the rounds"));
            } catch (ClusterUnavailableException e) {
                // the others remove this member when they see it leave
            }
        }
    }
}
