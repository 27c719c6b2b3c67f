package org.dl4jasync.trainer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes "max accepted steps" exact: a worker takes a permit before it starts a step, gives it back when the step
 * is rejected or dropped, and keeps it when the update is applied. So at most {@code max} updates are applied,
 * and exactly {@code max} unless the data runs out or another stop condition comes first.
 *
 * <p>{@link #free} protocol: permits not held by any worker; CAS loop in {@link #tryAcquire} keeps it ≥ 0.
 */
final class StepBudget {
    private final boolean bounded;
    private final AtomicLong free;
    private final AtomicLong applied = new AtomicLong();
    private final long max;

    StepBudget(long max) {
        this.bounded = max != Long.MAX_VALUE;
        this.max = max;
        this.free = new AtomicLong(max);
    }

    boolean tryAcquire() {
        if (!bounded) {
            return true;
        }
        for (;;) {
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
        if (bounded) {
            free.incrementAndGet();
        }
    }

    void applied() {
        if (bounded) {
            applied.incrementAndGet();
        }
    }

    /** Every permit has been turned into an applied update. */
    boolean exhausted() {
        return bounded && applied.get() >= max;
    }
}
