package org.dl4jasync.trainer;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The clock of a run on real threads, which stands still while the run is paused for an evaluation
 * ({@link org.dl4jasync.config.EvaluationMode#PAUSED}), and the gate at which the workers pause: every worker passes
 * {@link #enterStep} before a step and {@link #exitStep} after it; the one evaluating worker calls {@link #pause}
 * (from inside its own step), evaluates, then {@link #resume}. The pause waits until every other worker has left its
 * step, so no gradient is computed while the clock stands still and the time axis counts training only.
 *
 * <p>Shared-field protocols:
 * <ul>
 * <li>{@link #reading}: how to read the clock, an immutable pair replaced (never mutated) by the pausing worker
 * only, so a reader never combines the offset of one pause with the freeze of another (benign: a reader that sees
 * the previous pair reads the time just before the switch).</li>
 * <li>{@link #requested}: written by the pausing worker (true before it waits for the others, false on resume), read
 * by every worker at the gate.</li>
 * <li>{@link #inStep}: workers between the gate and the end of their step. Dekker's pattern: a worker increments it
 * and then re-reads {@link #requested}; the pauser writes {@link #requested} and then reads {@link #inStep}. Both
 * are volatile, so at least one sees the other: no worker starts a step unseen by a pause.</li>
 * <li>{@link #pausedNanos}: written by the pausing worker on resume, read after the run.</li>
 * </ul>
 * Only one worker pauses at a time (the holder of the monitor's evaluation claim).
 */
final class PausingClock implements DoubleSupplier {
    /** Parked at most this long between looks: a pause lasts an evaluation (a second or so), a resume is seen soon. */
    private static final long MAX_PARK_NANOS = 200_000L;

    /** The clock reads {@code frozen} when frozen ≥ 0, else {@code nanoTime() − offset}. */
    private static final class Reading {
        final long offset;
        final long frozen;

        Reading(long offset, long frozen) {
            this.offset = offset;
            this.frozen = frozen;
        }
    }

    private volatile Reading reading;
    private volatile boolean requested;
    private final AtomicInteger inStep = new AtomicInteger();
    private volatile long pausedNanos;

    /** @param t0 the run's time origin ({@link System#nanoTime()}) */
    PausingClock(long t0) {
        this.reading = new Reading(t0, -1);
    }

    /** Seconds of training since the origin: wall time minus the pauses. */
    @Override
    public double getAsDouble() {
        Reading r = reading;
        return (r.frozen >= 0 ? r.frozen : System.nanoTime() - r.offset) / 1e9;
    }

    /** Before a step: waits (parked) while a pause is requested, unless {@code stopping}; then counts the step in. */
    void enterStep(BooleanSupplier stopping) {
        IdleStrategy idle = null;
        for (; ; ) {
            while (requested && !stopping.getAsBoolean()) {
                if (idle == null) {
                    idle = backOff(); // only a worker that meets a pause allocates its back-off state
                }
                idle.idle();
            }
            inStep.incrementAndGet();
            if (!requested || stopping.getAsBoolean()) {
                return;
            }
            inStep.decrementAndGet(); // a pause came in between: let it happen first
        }
    }

    /** After a step entered with {@link #enterStep} (also when it failed). */
    void exitStep() {
        inStep.decrementAndGet();
    }

    /**
     * Called by the one evaluating worker from inside its step: stops the others at their next gate, waits until
     * none is in a step (or the run is stopping), then stops the clock.
     */
    void pause(BooleanSupplier stopping) {
        requested = true;
        IdleStrategy idle = backOff();
        while (inStep.get() > 1 && !stopping.getAsBoolean()) { // invariant: the caller is the one step left
            idle.idle();
        }
        Reading r = reading;
        reading = new Reading(r.offset, System.nanoTime() - r.offset);
    }

    /** Restarts the clock where it stopped and lets the workers go on. */
    @SuppressWarnings("NonAtomicVolatileUpdate") // pausedNanos: single writer, the pausing worker
    void resume() {
        Reading r = reading;
        long now = System.nanoTime();
        if (r.frozen >= 0) {
            long offset = now - r.frozen;
            pausedNanos += offset - r.offset;
            reading = new Reading(offset, -1);
        }
        requested = false;
    }

    /** Seconds the clock stood still. */
    double pausedSeconds() {
        return pausedNanos / 1e9;
    }

    private static IdleStrategy backOff() {
        return new BackoffIdleStrategy(10, 20, 1_000, MAX_PARK_NANOS);
    }
}
