package org.dl4jasync.dispatch;

import org.dl4jasync.checkpoint.Checkpointable;

/**
 * ABS, adaptive bounded staleness (Q. Tan, F. Zhu, J. Zhang, "ABS: Adaptive Bounded Staleness Converges Faster and
 * Communicates Less", arXiv:2301.08895): K-async rounds ({@link KAsyncPolicy}) whose K_t follows AdaSync's schedule
 * ({@link AdaSyncSchedule}), plus a staleness threshold S_t that falls as K_t grows: a worker whose base model is
 * more than S_t rounds old is forced to drop its work and restart from the latest model. Optionally each worker
 * takes H local SGD steps before it submits (the engine's local steps; H = 1 is plain gradient submission).
 *
 * <p>The threshold's form: S_t = max(1, ⌊c / K_t⌋). The paper fixes the minimum 1 and that S_t decreases as K_t
 * grows; its exact formula is not in our copy, so this form (with c a parameter, default m) is ours. For the
 * reductions (K = m with S = 0: synchronous SGD; K = 1 with S = ∞: plain async) the builder also takes a fixed K and
 * a fixed S.
 *
 * <p>When the restart happens: the paper's server tells a too-stale worker to restart at the round's end. In
 * simulation the engine cuts such a worker's step short at that instant ({@code KAsyncRounds}); on threads a DL4J
 * backward pass cannot be interrupted, so the worker learns it at its submission and its work is dropped then
 * (counted as a restart either way).
 */
public final class AbsPolicy implements RoundPolicy, java.io.Serializable, Checkpointable<AbsPolicy.State> {
    private static final long serialVersionUID = 1L;

    /** The K-async part: AdaSync's adaptive K, or a fixed K. */
    private final KAsyncPolicy rounds;

    private final double c;
    private final long fixedS;
    private long s;

    private AbsPolicy(Builder b) {
        this.rounds = b.fixedK > 0 ? KAsyncPolicy.fixed(b.fixedK, b.m) : KAsyncPolicy.adaptive(b.k0, b.m);
        this.c = b.c;
        this.fixedS = b.fixedS;
        this.s = threshold();
    }

    private long threshold() {
        if (fixedS >= 0) {
            return fixedS;
        }
        if (Double.isInfinite(c)) {
            return Long.MAX_VALUE;
        }
        return Math.max(1, (long) Math.floor(c / k()));
    }

    @Override
    public int k() {
        return rounds.k();
    }

    @Override
    public long maxRoundsBehind() {
        return s;
    }

    @Override
    public void submitted(double loss) {
        rounds.submitted(loss);
    }

    @Override
    public void roundClosed() {
        rounds.roundClosed();
        s = threshold();
    }

    @Override
    public String label() {
        return "abs";
    }

    @Override
    public State checkpointState() {
        return new State(s, rounds.checkpointState());
    }

    @Override
    public void restoreState(State state) {
        s = state.s();
        rounds.restoreState(state.rounds());
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }

    /** The checkpoint state: S, and the rounds' K schedule (null: a fixed K). */
    public record State(long s, AdaSyncSchedule.State rounds) {}

    @Override
    public boolean adaptiveK() {
        return rounds.adaptiveK();
    }

    /** {@code new AbsPolicy.Builder(m).k0(4).c(32).build()}. */
    public static final class Builder {
        private final int m;
        private int k0;
        private double c;
        private int fixedK = -1;
        private long fixedS = -1;

        /** Defaults: K0 = ⌈m/4⌉, c = m. */
        public Builder(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be >= 1, got " + workers);
            }
            this.m = workers;
            this.k0 = (workers + 3) / 4;
            this.c = workers;
        }

        /** AdaSync's K0, in [1, m]. */
        public Builder k0(int k) {
            if (k < 1 || k > m) {
                throw new IllegalArgumentException("K0 must be in [1, " + m + "], got " + k);
            }
            this.k0 = k;
            return this;
        }

        /** c of S_t = max(1, ⌊c / K_t⌋), &gt; 0; {@link Double#POSITIVE_INFINITY}: no threshold (AdaSync). */
        public Builder c(double value) {
            if (!(value > 0)) {
                throw new IllegalArgumentException("c must be > 0 (or infinite), got " + value);
            }
            this.c = value;
            return this;
        }

        /** K fixed at {@code k} in [1, m] instead of AdaSync's schedule. */
        public Builder fixedK(int k) {
            if (k < 1 || k > m) {
                throw new IllegalArgumentException("K must be in [1, " + m + "], got " + k);
            }
            this.fixedK = k;
            return this;
        }

        /** S fixed at {@code s} ≥ 0 (Long.MAX_VALUE: none) instead of ⌊c / K_t⌋. */
        public Builder fixedThreshold(long s) {
            if (s < 0) {
                throw new IllegalArgumentException("S must be >= 0, got " + s);
            }
            this.fixedS = s;
            return this;
        }

        public AbsPolicy build() {
            return new AbsPolicy(this);
        }
    }
}
