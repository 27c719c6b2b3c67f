package org.dl4jasync.metrics;

/**
 * When a run evaluates during training, written once for every loop that evaluates (our engines' monitor and DL4J's
 * loops in the comparisons): every N accepted updates, or every D seconds of the run's clock, or never (only at the
 * end). An evaluation is due at the first update whose count or time reaches the next boundary; after it the
 * boundaries move to the next multiples past that update (boundaries skipped by a long step are not made up).
 *
 * <p>Protocol: {@link #nextSteps} and {@link #nextSeconds} are written only by the one caller holding the owner's
 * evaluation claim (the owner says which claim) and read by all; {@link #due} may be called without the claim and is
 * rechecked under it.
 */
public final class EvaluationSchedule {
    private final long everySteps;
    private final double everySeconds;
    private volatile long nextSteps;
    private volatile double nextSeconds;

    private EvaluationSchedule(long everySteps, double everySeconds) {
        this.everySteps = everySteps;
        this.everySeconds = everySeconds;
        this.nextSteps = everySteps > 0 ? everySteps : Long.MAX_VALUE;
        this.nextSeconds = everySeconds > 0 ? everySeconds : Double.POSITIVE_INFINITY;
    }

    /** Every {@code steps} updates (0: never) or every {@code seconds} (0: never). */
    public static EvaluationSchedule every(long steps, double seconds) {
        return new EvaluationSchedule(steps, seconds);
    }

    /** Whether the schedule needs the clock ({@link #due} reads its {@code seconds} argument). */
    public boolean timed() {
        return everySeconds > 0;
    }

    /** Whether an evaluation is due after the update that made {@code steps} updates, at {@code seconds}. */
    public boolean due(long steps, double seconds) {
        return steps >= nextSteps || seconds >= nextSeconds;
    }

    /** An evaluation was made after {@code steps} updates at {@code seconds}: moves both boundaries past it. */
    public void evaluated(long steps, double seconds) {
        if (everySteps > 0) {
            nextSteps = (steps / everySteps + 1) * everySteps;
        }
        if (everySeconds > 0) {
            nextSeconds = (Math.floor(seconds / everySeconds) + 1) * everySeconds;
        }
    }

    /** The next boundaries [steps, seconds], for a checkpoint. */
    public double[] state() {
        return new double[] {nextSteps, nextSeconds};
    }

    /** Takes back {@link #state} (before the run starts). */
    public void restore(double[] state) {
        nextSteps = (long) state[0];
        nextSeconds = state[1];
    }

    /** Human text for reports: "every N updates", "every D s" or "only at the end". */
    public String describe(String updates) {
        if (everySteps > 0) {
            return "every " + everySteps + " " + updates;
        }
        return everySeconds > 0 ? "every " + everySeconds + " s" : "only at the end";
    }
}
