package org.dl4jasync.parameters;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.dl4jasync.model.Replica;
import org.dl4jasync.model.TrainableModel;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * CAS-published parameters: Leashed-SGD (K. Bäckström, I. Walulya, M. Papatriantafilou, P. Tsigas,
 * "Consistent lock-free parallel stochastic gradient descent for fast and stable convergence", IPDPS 2021;
 * thesis Algorithm B.3).
 *
 * <p>The latest parameters are an immutable versioned {@link Snapshot} behind {@link #latest}. A reader pins the
 * latest snapshot and computes its gradient directly on it (the replica is re-pointed, not copied). To apply, a
 * worker copies the latest snapshot into a private buffer, applies its update and CASes {@link #latest}; on
 * failure it retries from the new latest, at most {@code persistence} times, after which the gradient is dropped
 * and counted. The replaced snapshot is marked stale and recycled once no reader holds it; at most 3m + 1
 * buffers ever exist ({@link SnapshotPool}).
 *
 * <p>With a shared optimizer state ({@link UpdateFormer}) every snapshot carries the optimizer state of its version
 * beside the parameters: an apply copies both from the latest, forms the update through the copied state (the
 * worker's updater works on a private array that the store fills and copies back) and publishes both with one CAS,
 * so the published state always belongs to the published parameters, and a failed or dropped attempt leaves no
 * trace. Its cost: the state is copied once more per attempt (as long as the parameters for SGD-with-momentum, twice
 * as long for Adam), and the pool's buffers grow by the state's length.
 *
 * <p>Deviations from the thesis: the persistence bound counts failed CAS attempts only (a retry caused by a
 * snapshot going stale between load and pin is not a contention failure); a pinned snapshot is re-validated
 * against {@link #latest} after the pin, which closes the ABA window that buffer reuse opens.
 */
final class LeashedStore implements ParameterStore {
    /** {@code persistence} value for "retry until the CAS succeeds". */
    static final int UNBOUNDED = ParameterStore.UNBOUNDED_PERSISTENCE;

    private final TrainableModel model;
    private final SnapshotPool pool;
    private final int workers;
    private final int persistence;
    /** The published parameters. Only replaced by CAS; the snapshot it holds is never stale. */
    private final AtomicReference<Snapshot> latest;

    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failedCas = new AtomicLong();
    /** Whether every snapshot carries a shared optimizer state. */
    private final boolean hasState;

    /**
     * @param workers     number of worker views that will exist (sizes the pool at 3·workers + 1)
     * @param persistence failed CAS attempts allowed per update, ≥ 0, or {@link #UNBOUNDED}
     */
    public LeashedStore(TrainableModel model, int workers, int persistence) {
        this(model, workers, persistence, null);
    }

    /** @param sharedState the shared optimizer state's start, copied into the first snapshot (null: none) */
    public LeashedStore(TrainableModel model, int workers, int persistence, INDArray sharedState) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        if (persistence < 0) {
            throw new IllegalArgumentException("persistence must be >= 0 or UNBOUNDED, got " + persistence);
        }
        model.checkRebindable();
        this.model = model;
        INDArray params = model.params();
        this.pool = new SnapshotPool(
                3 * workers + 1, params.length(), sharedState == null ? 0 : sharedState.length(), params.dataType());
        this.hasState = sharedState != null;
        this.workers = workers;
        this.persistence = persistence;
        Snapshot first = pool.acquire(0);
        first.buffer.assign(params); // once, at construction
        if (sharedState != null) {
            first.optimizerState.assign(sharedState);
        }
        first.version = 0;
        first.reopen();
        this.latest = new AtomicReference<>(first);
    }

    @Override
    public long length() {
        return latest.get().buffer.length();
    }

    @Override
    public long version() {
        return latest.get().version;
    }

    public SnapshotPool pool() {
        return pool;
    }

    /** Failed CAS attempts so far (contention). */
    @Override
    public Long failedCas() {
        return failedCas.get();
    }

    @Override
    public long droppedUpdates() {
        return dropped.get();
    }

    /**
     * Pins the latest snapshot. Loop invariant: nothing is pinned at the top of the loop; on return the snapshot
     * is pinned and was the latest at a moment after the pin, so it is complete and cannot be recycled until
     * unpinned.
     */
    Snapshot pinLatest() {
        for (; ; ) {
            Snapshot s = latest.get();
            if (s.tryPin()) {
                if (latest.get() == s) {
                    return s;
                }
                unpin(s);
            }
            Thread.onSpinWait();
        }
    }

    void unpin(Snapshot s) {
        if (s.unpin()) {
            pool.release(s);
        }
    }

    @Override
    public WorkerView newWorkerView(int worker) {
        return new LeashedView(worker);
    }

    @Override
    public void copyLatestTo(INDArray destination) {
        Snapshot s = pinLatest();
        try {
            destination.assign(s.buffer);
        } finally {
            unpin(s);
        }
    }

    @Override
    public boolean sharesBufferWith(INDArray other) {
        return false;
    }

    @Override
    public boolean hasSharedState() {
        return hasState;
    }

    @Override
    public void copySharedStateTo(INDArray destination) {
        if (!hasState) {
            ParameterStore.super.copySharedStateTo(destination);
        }
        Snapshot s = pinLatest();
        try {
            destination.assign(s.optimizerState);
        } finally {
            unpin(s);
        }
    }

    /**
     * The copy–update–CAS loop with the time an apply takes between its copy of the latest snapshot and its CAS:
     * an attempt fails when another update was published meanwhile (counted as a failed CAS), and after
     * {@code persistence} failures the update is dropped (counted as dropped), exactly as {@link LeashedView#apply}
     * counts them under real threads.
     */
    @Override
    public ContentionModel contention() {
        long[] base = new long[workers];
        long[] failures = new long[workers];
        return new ContentionModel() {
            @Override
            public double begin(int worker, double now, double duration) {
                base[worker] = version(); // copy of the latest, then the update, then the CAS at now + duration
                return now + duration;
            }

            @Override
            public int end(int worker) {
                if (version() == base[worker]) {
                    failures[worker] = 0;
                    return APPLY;
                }
                failedCas.incrementAndGet();
                if (++failures[worker] > persistence) {
                    failures[worker] = 0;
                    dropped.incrementAndGet();
                    return DROP;
                }
                return RETRY;
            }
        };
    }

    /** Buffers are left to ND4J's reference-counted deallocation: see {@link LockedStore#close()}. */
    @Override
    public void close() {}

    /** A worker's view; its fields are confined to the worker's thread. */
    private final class LeashedView implements WorkerView {
        private final int worker;
        private final Replica replica;
        private Snapshot pinned;
        /** An exclusively owned buffer (STALE bit set) kept for the next apply, or null. */
        private Snapshot spare;

        private final FlatVector.Cache updates = new FlatVector.Cache();
        private final FlatVector.Cache states = new FlatVector.Cache();
        /** The gradient kept while an update is formed (a retried attempt forms again from it); made on first use. */
        private FlatVector gradient;

        LeashedView(int worker) {
            this.worker = worker;
            Snapshot s = pinLatest();
            try {
                this.replica = model.newRebindableReplica(s.buffer);
            } finally {
                unpin(s);
            }
        }

        @Override
        public Replica replica() {
            return replica;
        }

        @Override
        public long read() {
            Snapshot s = pinLatest();
            pinned = s;
            replica.bind(s.buffer);
            return s.version;
        }

        @Override
        public void release() {
            Snapshot s = pinned;
            if (s != null) {
                pinned = null;
                unpin(s);
            }
        }

        /**
         * Copy–update–CAS loop. Invariant at the CAS: {@code next} is exclusively owned, holds {@code cur}'s
         * parameters minus this update, has version cur.version + 1, {@code cur} is pinned, and
         * {@code cur.version − readVersion ≤ maxStaleness} (so a published update's τ is within the bound); with a
         * {@code former}, {@code next}'s state is {@code cur}'s advanced by this update's formation.
         */
        @Override
        public long apply(
                INDArray update, long readVersion, long maxStaleness, StepScaler scaler, UpdateFormer former) {
            if (former != null && !hasState) {
                throw new IllegalStateException("an update to form, but the store keeps no shared state");
            }
            FlatVector u = updates.of(update);
            FlatVector own = former == null ? null : states.of(former.state());
            if (former != null) {
                if (gradient == null) {
                    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                        gradient = FlatVector.of(Nd4j.create(update.dataType(), update.length()));
                    }
                }
                gradient.copyFrom(u);
            }
            boolean formed = false;
            Snapshot next = spare != null ? spare : pool.acquire(worker * 3);
            spare = null;
            for (long failures = 0; ; ) {
                Snapshot cur = pinLatest();
                long tau = cur.version - readVersion;
                if (tau > maxStaleness) { // the version only grows: this update can never be fresh enough again
                    unpin(cur);
                    spare = next;
                    return STALE;
                }
                next.copyFrom(cur);
                double factor = scaler.factor(tau);
                if (former != null) { // formed from this attempt's state: a failed attempt forms anew
                    if (formed) {
                        u.copyFrom(gradient);
                    }
                    own.copyFrom(next.stateFlat);
                    former.form();
                    formed = true;
                    next.stateFlat.copyFrom(own);
                }
                next.flat.subtractScaled(u, factor);
                next.version = cur.version + 1;
                next.reopen();
                if (latest.compareAndSet(cur, next)) {
                    cur.markStale(); // cannot be the last holder: our own pin is still on it
                    unpin(cur); // ... so whoever unpins last (maybe us) recycles it
                    return tau;
                }
                failedCas.incrementAndGet();
                unpin(cur);
                if (!next.markStale()) {
                    next = null; // a reader pinned it meanwhile; its unpin recycles it
                }
                if (++failures > persistence) {
                    spare = next;
                    dropped.incrementAndGet();
                    return DROPPED;
                }
                if (next == null) {
                    next = pool.acquire(worker * 3);
                }
            }
        }
    }
}
