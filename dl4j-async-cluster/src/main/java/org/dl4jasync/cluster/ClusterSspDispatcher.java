package org.dl4jasync.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.map.IMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.dl4jasync.dispatch.ActiveWorkers;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.metrics.ReportBuilder;

/**
 * Stale Synchronous Parallel across the processes of a cluster training: every worker of every member has its clock
 * in one {@link SspState} entry, so the slack s bounds the clocks' spread over all members' workers (the in-process
 * {@code SspDispatcher}'s rule, decided exactly at the entry's owner).
 *
 * <p>Waiting: a worker that may not start parks as in one process; what it waits for (another member's slowest
 * worker advancing) raises no event here, so a poller signals the waiting workers every {@link #POLL_MILLIS} ms to
 * look again (one call each). A member that leaves (its run ended; or lost: the membership
 * listener) has its workers benched ({@link #runEnded}), so it never holds the others back.
 *
 * <p>Per-worker fields ({@link #spreadMax}) are written by their worker only and read after the run.
 */
final class ClusterSspDispatcher implements Dispatcher {
    static final long POLL_MILLIS = 5;

    private final IMap<Integer, SspState> map;
    private final ClusterCalls calls;
    private final ActiveWorkers active;
    private final int slack;
    private final int base;
    private final UUID self;
    private final AtomicLong tickets = new AtomicLong();
    private final long[] spreadMax;
    private final ScheduledExecutorService poller;
    private final UUID listener;

    ClusterSspDispatcher(ClusterStore store, int workers, int slack) {
        this.calls = new ClusterCalls(store.member(), store.timeout(), store.backups(), false);
        this.active = new ActiveWorkers(workers);
        this.slack = slack;
        this.spreadMax = new long[workers];
        String name = store.name() + ".ssp";
        calls.configureMap(name);
        this.map = store.member().getMap(name);
        this.self = store.member().getCluster().getLocalMember().getUuid();
        this.base = (int) call(SspOp.REGISTER, workers, self, "registering the workers' clocks");
        this.listener = store.member().getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {}

            @Override
            public void memberRemoved(MembershipEvent e) { // a lost member's clocks hold no one back
                map.submitToKey(
                        0, new SspOp(SspOp.BENCH_MEMBER, 0, slack, e.getMember().getUuid()));
                active.waiters().signal();
            }
        });
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dl4j-async-ssp-poller");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(() -> active.waiters().signal(), POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private long call(byte op, int slot, UUID member, String what) {
        return calls.await(
                map.submitToKey(0, new SspOp(op, slot, slack, member)).toCompletableFuture(), what);
    }

    @Override
    public boolean mayStart(int worker) {
        return call(SspOp.MAY_START, base + worker, null, "looking at the clocks") == 1;
    }

    @Override
    public long tryStartStep(int worker) {
        if (!active.allows(worker)) {
            return NOT_NOW;
        }
        long spread = call(SspOp.START, base + worker, null, "starting a step");
        if (spread < 0) {
            return NOT_NOW;
        }
        if (spread > spreadMax[worker]) {
            spreadMax[worker] = spread;
        }
        return tickets.getAndIncrement();
    }

    @Override
    public boolean finishStep(int worker, long ticket) {
        return true;
    }

    @Override
    public void afterApply(int worker, long ticket) {
        call(SspOp.APPLIED, base + worker, null, "advancing a clock");
    }

    @Override
    public void workerLeft(int worker) {
        call(SspOp.BENCH, base + worker, null, "benching a worker");
    }

    @Override
    public long started() {
        return tickets.get();
    }

    /**
     * Every worker here has stopped (whatever the outcome): this member's workers stop counting for the others, the
     * poller and the listener end. A cluster that is gone (what may have failed the run) is left as it is.
     */
    @Override
    public void runEnded() {
        poller.shutdownNow();
        if (calls.hazelcast.getLifecycleService().isRunning()) {
            calls.hazelcast.getCluster().removeMembershipListener(listener);
            try {
                call(SspOp.BENCH_MEMBER, 0, self, "leaving the clocks");
            } catch (ClusterUnavailableException e) {
                // the others bench this member when they see it leave
            }
        }
    }

    /** Label {@code ssp} and the largest clock spread this member's workers started at (≤ s). */
    @Override
    public void report(ReportBuilder report) {
        long max = 0;
        for (long s : spreadMax) {
            max = Math.max(max, s);
        }
        report.algorithm("ssp");
        report.clockSpreadMax(max);
    }

    @Override
    public ActiveWorkers active() {
        return active;
    }
}
