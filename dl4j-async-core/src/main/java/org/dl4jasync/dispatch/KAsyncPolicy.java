package org.dl4jasync.dispatch;

import org.dl4jasync.checkpoint.Checkpointable;

/**
 * K-async SGD (S. Dutta, G. Joshi, S. Ghosh, P. Dube, P. Nagpurkar, "Slow and Stale Gradients Can Win the Race:
 * Error-Runtime Trade-offs in Distributed SGD", AISTATS 2018, Algorithm "K-async SGD"; journal version IEEE JSAIT
 * 2021 with AdaSync): a round ends when K submissions have arrived since the last; their average is applied as one
 * update; workers that were not among the K keep computing on their older model and their results count in later
 * rounds (stale by the rounds in between). With {@link #adaptive} K follows AdaSync's schedule
 * ({@link AdaSyncSchedule}). No submission is ever dropped for staleness (that is ABS, {@link AbsPolicy}).
 *
 * <p>The round mechanics are shared with ABS in the engine ({@code KAsyncRounds}), which states the deviations that
 * come from shared memory (a worker's own DL4J updater turns its gradient into its update before averaging; a worker
 * that has submitted waits for the round it submitted to, so no worker is counted twice in one round).
 */
public final class KAsyncPolicy implements RoundPolicy, java.io.Serializable, Checkpointable<AdaSyncSchedule.State> {
    private static final long serialVersionUID = 1L;

    private final int fixedK;
    private final AdaSyncSchedule schedule;

    private KAsyncPolicy(int k, AdaSyncSchedule schedule) {
        this.fixedK = k;
        this.schedule = schedule;
    }

    /** K fixed, in [1, m]. */
    public static KAsyncPolicy fixed(int k, int m) {
        if (k < 1 || k > m) {
            throw new IllegalArgumentException("K must be in [1, " + m + "], got " + k);
        }
        return new KAsyncPolicy(k, null);
    }

    /** AdaSync: K from K0 (in [1, m]) by the training loss. */
    public static KAsyncPolicy adaptive(int k0, int m) {
        return new KAsyncPolicy(k0, new AdaSyncSchedule(k0, m));
    }

    @Override
    public int k() {
        return schedule == null ? fixedK : schedule.k();
    }

    @Override
    public long maxRoundsBehind() {
        return Long.MAX_VALUE;
    }

    @Override
    public void submitted(double loss) {
        if (schedule != null) {
            schedule.submitted(loss);
        }
    }

    @Override
    public void roundClosed() {
        if (schedule != null) {
            schedule.update();
        }
    }

    @Override
    public String label() {
        return "kasync";
    }

    /** AdaSync's loss reference and K (nothing for a fixed K). */
    @Override
    public AdaSyncSchedule.State checkpointState() {
        return schedule == null ? null : schedule.state(); // a fixed K keeps nothing
    }

    @Override
    public void restoreState(AdaSyncSchedule.State state) {
        if (schedule != null && state != null) {
            schedule.restore(state);
        }
    }

    @Override
    public Class<AdaSyncSchedule.State> stateType() {
        return AdaSyncSchedule.State.class;
    }

    @Override
    public boolean adaptiveK() {
        return schedule != null;
    }
}
