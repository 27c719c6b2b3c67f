package org.dl4jasync.stepsize;

import java.util.concurrent.atomic.AtomicReference;
import org.dl4jasync.checkpoint.Checkpointable;

/**
 * A policy whose factors are a table over τ built from the observed staleness distribution
 * ({@link StalenessWindow}): factor 1 during the warm-up, then the table of the latest snapshot.
 *
 * <p>Hot path: {@link #factor} is one volatile read, a clamp and an array load; {@link #observe} is the window's
 * O(1) count, plus, once per refresh period, a table rebuild by the observing worker (allocates one table).
 */
public abstract class AdaptiveStepSize implements StepSizePolicy, Checkpointable<AdaptiveStepSize.State> {
    private final StalenessWindow window;
    /**
     * Protocol: the published table; replaced by CAS only with a table built from a later snapshot, so the
     * published snapshot index never decreases even when two rebuilds overlap. null during the warm-up.
     */
    private final AtomicReference<Table> table = new AtomicReference<>();

    private static final class Table {
        final long observedAt;
        final double[] factors;

        Table(long observedAt, double[] factors) {
            this.observedAt = observedAt;
            this.factors = factors;
        }
    }

    protected AdaptiveStepSize(StalenessWindow window) {
        this.window = window;
    }

    @Override
    public final double factor(long tau) {
        Table t = table.get();
        if (t == null) {
            return 1.0;
        }
        int bin = window.bin(tau);
        double[] f = t.factors;
        return f[Math.min(bin, f.length - 1)];
    }

    @Override
    public final void observe(long tau) {
        StalenessDistribution d = window.observe(tau);
        if (d != null && d.total() > 0) {
            Table next = new Table(d.observedAt(), factors(d));
            // CAS loop. Invariant: table.observedAt only grows; a rebuild that lost the race to a later one is dropped.
            for (; ; ) {
                Table cur = table.get();
                if (cur != null && cur.observedAt >= next.observedAt) {
                    return;
                }
                if (table.compareAndSet(cur, next)) {
                    return;
                }
            }
        }
    }

    /**
     * The factor for every τ in 0…d.maxTau() + 1; the last entry also serves every larger τ (clamped lookup).
     * Called by one worker at a time per snapshot; may allocate.
     */
    protected abstract double[] factors(StalenessDistribution d);

    /** The window and the factor table in use (a checkpoint; observers paused). */
    @Override
    public State checkpointState() {
        Table t = table.get();
        return new State(window.state(), t == null ? null : t.observedAt, t == null ? null : t.factors);
    }

    /** Takes back {@link #checkpointState} of a policy built the same way, before the run starts. */
    @Override
    public void restoreState(State state) {
        window.restore(state.window());
        table.set(state.tableAt() == null ? null : new Table(state.tableAt(), state.factors()));
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }

    /** The checkpoint state: the staleness window and the factor table in use (null: none built yet). */
    public record State(StalenessWindow.State window, Long tableAt, double[] factors) {}

    /** The factors in use, or null during the warm-up (for reports and tests). */
    public final double[] currentFactors() {
        Table t = table.get();
        return t == null ? null : t.factors.clone();
    }

    public final StalenessWindow window() {
        return window;
    }

    /**
     * Builder options shared by the distribution-based policies: the estimation window
     * ({@link StalenessWindow.Builder}'s defaults).
     */
    @SuppressWarnings("unchecked")
    public abstract static class Builder<B extends Builder<B>> {
        protected final StalenessWindow.Builder window;
        protected final int workers;

        protected Builder(int workers) {
            this.window = new StalenessWindow.Builder(workers);
            this.workers = workers;
        }

        /** Applied updates at factor 1 before the first estimate. Default 15·m. */
        public B warmup(long n) {
            window.warmup(n);
            return (B) this;
        }

        /** Observations the estimate covers. Default max(1000, 10·m). */
        public B window(int k) {
            window.window(k);
            return (B) this;
        }

        /** Re-estimate every R applied updates. Default ⌈window/10⌉. */
        public B refreshEvery(long r) {
            window.refreshEvery(r);
            return (B) this;
        }

        /** Keep the warm-up's estimate. */
        public B frozen() {
            window.frozen();
            return (B) this;
        }

        public B maxStaleness(int b) {
            window.maxStaleness(b);
            return (B) this;
        }
    }
}
