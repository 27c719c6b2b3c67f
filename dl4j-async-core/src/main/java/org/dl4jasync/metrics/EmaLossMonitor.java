package org.dl4jasync.metrics;

import java.util.concurrent.atomic.AtomicLong;
import org.dl4jasync.checkpoint.Checkpointable;

/**
 * Exponential moving average of the minibatch losses of all steps (cheap, noisy): the default loss monitor. Fed as
 * a {@link StepListener} by the real trainer and by the simulator alike.
 *
 * <p>{@link #ema} holds the average's double bits (NaN bits until the first loss); CAS loop invariant: the value
 * replaced is the one the new average was computed from, so no observation is lost or counted twice.
 */
public final class EmaLossMonitor implements LossMonitor, StepListener, Checkpointable<EmaLossMonitor.State> {
    private final double alpha;
    private final AtomicLong ema = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));

    /** @param alpha weight of a new observation, in (0, 1] (e.g. 0.01: about the last 100 steps) */
    public EmaLossMonitor(double alpha) {
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("EMA weight must be in (0, 1], got " + alpha);
        }
        this.alpha = alpha;
    }

    public void observe(double value) {
        if (Double.isNaN(value)) {
            return;
        }
        for (; ; ) {
            long bits = ema.get();
            double old = Double.longBitsToDouble(bits);
            double next = Double.isNaN(old) ? value : old + alpha * (value - old);
            if (ema.compareAndSet(bits, Double.doubleToRawLongBits(next))) {
                return;
            }
        }
    }

    @Override
    public void onStep(int worker, long ticket, boolean accepted, long staleness, double scale, double loss) {
        observe(loss);
    }

    @Override
    public double loss() {
        return Double.longBitsToDouble(ema.get());
    }

    @Override
    public State checkpointState() {
        return new State(loss());
    }

    @Override
    public void restoreState(State state) {
        ema.set(Double.doubleToRawLongBits(state.ema()));
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }

    /** The checkpoint state: the average so far. */
    public record State(double ema) {}
}
