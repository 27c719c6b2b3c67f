package org.dl4jasync.trainer;

import java.util.concurrent.atomic.AtomicLong;
import org.dl4jasync.dispatch.Waiters;

/**
 * Makes "max accepted steps" exact: a worker takes a permit before it starts a step, gives it back when the step
 * is rejected or dropped, and keeps it when the update is applied. So at most {@code max} updates are applied,
 * and exactly {@code max} unless the data runs out or another stop condition comes first. A worker that finds no
 * free permit while some are held by steps in flight waits in {@link Waiters} until one comes back.
 *
 * <p>{@link #free} protocol: permits not held by any worker; the CAS loop in {@link #tryAcquire} keeps it ≥ 0; a
 * give-back that makes it positive again signals the waiters (after the increment, so no wake-up is lost).
 */
final class StepBudget {
    private final boolean bounded;
    private final AtomicLong free;
    private final AtomicLong applied = new AtomicLong();
    private final long max;
    private final Waiters waiters;

    StepBudget(long max, Waiters waiters) {
        this.bounded = max != Long.MAX_VALUE;
        this.max = max;
        this.free = new AtomicLong(max);
        this.waiters = waiters;
    }

    boolean tryAcquire() {
        if (!bounded) {
            return true;
        }
        for (; ; ) {
            long f = free.get();
            if (f <= 0) {
                return false;
            }
            if (free.compareAndSet(f, f - 1)) {
                return true;
            }
        }
    }

    /** The step's update was not applied: its permit goes back. */
    void giveBack() {
        if (bounded && free.getAndIncrement() == 0) {
            waiters.signal(); // someone may be waiting for a permit
        }
    }

    void applied() {
        if (bounded) {
            applied.incrementAndGet();
        }
    }

    /** A permit is free, or none will ever be needed again. */
    boolean available() {
        return !bounded || free.get() > 0 || exhausted();
    }

    /** Every permit has been turned into an applied update. */
    boolean exhausted() {
        return bounded && applied.get() >= max;
    }
}
