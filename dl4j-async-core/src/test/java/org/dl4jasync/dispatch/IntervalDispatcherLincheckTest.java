package org.dl4jasync.dispatch;

import java.util.concurrent.atomic.AtomicLong;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Interval-Asynchrony's hard bound, checked by Lincheck over interleavings: every Lincheck thread is a worker that
 * runs the step protocol against a version counter standing for the store (ticket → read the version → finish →
 * apply = take the next version → afterApply). Whatever the interleaving, every applied update has τ ≤ y − 1, no
 * interval accepts more than y steps, and the dispatcher's count of applied updates equals the store's version.
 */
@Param(name = "worker", gen = ThreadIdGen.class)
public class IntervalDispatcherLincheckTest {
    private static final int WORKERS = 3;
    private static final int Y = 2;

    private final IntervalDispatcher dispatcher = new IntervalDispatcher(WORKERS, IntervalPolicy.fixed(Y));
    private final AtomicLong version = new AtomicLong();
    private final AtomicLong maxTau = new AtomicLong(-1);

    /** One step of worker {@code w}: true when its update was applied. */
    @Operation
    public void step(@Param(name = "worker") int w) {
        long ticket = dispatcher.tryStartStep(w);
        if (ticket == Dispatcher.NOT_NOW) {
            return;
        }
        long read = version.get();
        if (!dispatcher.finishStep(w, ticket)) {
            return;
        }
        long tau = version.getAndIncrement() - read; // the store's apply: τ = updates applied since the read
        maxTau.accumulateAndGet(tau, Math::max);
        dispatcher.afterApply(w, ticket);
    }

    @Validate
    public void stalenessBoundHeld() {
        if (maxTau.get() > Y - 1) {
            throw new IllegalStateException("an update was applied with τ " + maxTau.get() + " > y − 1 = " + (Y - 1));
        }
        long intervals = dispatcher.intervalsCompleted();
        if (version.get() < intervals * Y || version.get() >= (intervals + 1) * Y) {
            throw new IllegalStateException(
                    version.get() + " updates applied in " + intervals + " complete intervals of " + Y);
        }
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(10)
                .invocationsPerIteration(300)
                .threads(WORKERS)
                .actorsPerThread(3)
                .actorsBefore(0)
                .actorsAfter(0)
                .check(getClass());
    }

    @Test
    void stress() {
        new StressOptions()
                .iterations(20)
                .invocationsPerIteration(1000)
                .threads(WORKERS)
                .actorsPerThread(4)
                .actorsBefore(0)
                .actorsAfter(0)
                .check(getClass());
    }
}
