package org.dl4jasync.dispatch;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * jcstress litmus (run by {@link ConcurrencyLitmusTest}) of the no-lost-wake-up handshake between a worker that is
 * about to park in {@link Waiters#await} and the controller that raises the active bound: the worker publishes
 * itself and then checks the bound; the controller changes the bound and then reads who waits. Store-buffering
 * shape: whatever the interleaving and the hardware's reordering, at least one side sees the other — the worker
 * sees the raised bound, or the controller finds the worker and unparks it. (0, 0) is a lost wake-up.
 */
@JCStressTest
@Outcome(
        id = "0, 0",
        expect = Expect.FORBIDDEN,
        desc = "lost wake-up: the worker saw the old bound, the raise saw no waiter")
@Outcome(
        id = {"1, 0", "0, 1", "1, 1"},
        expect = Expect.ACCEPTABLE,
        desc = "the worker goes on or is woken")
@State
public class WaitersHandshakeStress {
    private final ActiveWorkers active = new ActiveWorkers(2);

    public WaitersHandshakeStress() {
        active.set(1);
    }

    /** The worker's half of {@link Waiters#await}: publish, then check (r1 = 1: may start). */
    @Actor
    public void worker(II_Result r) {
        active.waiters().enter(1);
        r.r1 = active.allows(1) ? 1 : 0;
    }

    /** The controller: raise the bound, then wake whoever waits (r2 = waiters found). */
    @Actor
    public void controller(II_Result r) {
        r.r2 = active.change(2);
    }
}
