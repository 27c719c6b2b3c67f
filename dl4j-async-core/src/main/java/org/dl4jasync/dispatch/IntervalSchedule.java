package org.dl4jasync.dispatch;

import static org.dl4jasync.spec.Checks.atLeast;

import java.util.function.DoubleSupplier;
import org.dl4jasync.metrics.LossMonitor;

/** How Interval-Asynchrony's interval size y evolves ({@link DispatchSpec.Interval}'s schedule). */
public sealed interface IntervalSchedule {
    /** The report's {@code interval_policy}. */
    String key();

    /** One run's interval policy from y0. */
    IntervalPolicy policy(int y0, LossMonitor monitor, DoubleSupplier clock);

    /** y constant. */
    record Fixed() implements IntervalSchedule {
        @Override
        public String key() {
            return "fixed";
        }

        @Override
        public IntervalPolicy policy(int y0, LossMonitor monitor, DoubleSupplier clock) {
            return IntervalPolicy.fixed(y0);
        }
    }

    /** y decreases by {@code amount} every {@code every} accepted steps, down to {@code min} (at most y0). */
    record Decay(int amount, long every, int min) implements IntervalSchedule {
        public static final Decay DEFAULT = new Decay(1, 4096, 4);

        public Decay {
            atLeast("y_decay_amount", amount, 1, "an integer >= 1");
            atLeast("y_decay_every", every, 1, "an integer >= 1");
            atLeast("y_min", min, 1, "an integer >= 1");
        }

        @Override
        public String key() {
            return "decay";
        }

        @Override
        public IntervalPolicy policy(int y0, LossMonitor monitor, DoubleSupplier clock) {
            return IntervalPolicy.decay(y0, amount, every, Math.min(min, y0));
        }
    }

    /**
     * y probed in a window of {@code window} sizes {@code step} apart around it, {@code steps} accepted steps each,
     * then {@code exec} steps at the best (the paper's Section 4.1; {@link ProbingIntervalPolicy}).
     */
    record Probe(int window, int step, long steps, long exec) implements IntervalSchedule {
        public static final Probe DEFAULT = new Probe(16, 4, 1024, 8192);

        public Probe {
            atLeast("probe_window", window, 0, "an integer >= 0");
            atLeast("probe_step", step, 1, "an integer >= 1");
            atLeast("probe_steps", steps, 1, "an integer >= 1");
            atLeast("probe_exec", exec, 1, "an integer >= 1");
        }

        @Override
        public String key() {
            return "probe";
        }

        @Override
        public IntervalPolicy policy(int y0, LossMonitor monitor, DoubleSupplier clock) {
            return new ProbingIntervalPolicy(y0, window, step, steps, exec, monitor, clock);
        }
    }
}
