package org.dl4jasync.dispatch;

import java.util.List;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.jetbrains.lincheck.datastructures.verifier.EpsilonVerifier;
import org.junit.jupiter.api.Test;

/**
 * The no-lost-wake-up handshake of {@link Waiters} and {@link ActiveWorkers} under Lincheck's model checker (every
 * interleaving of the two halves, sequentially consistent): the worker publishes itself and then checks the bound,
 * the controller raises the bound and then wakes whoever it finds; at least one must see the other. (The same
 * handshake on real hardware, where stores may be reordered: {@link WaitersHandshakeStress} under jcstress.)
 *
 * <p>Lincheck does not model a thread blocked in {@code LockSupport.park} (its issue 167), so the check is on the
 * handshake itself, whose outcome decides whether the park that follows can be left without its unpark.
 */
public class WaitersLincheckTest {
    private final ActiveWorkers active = new ActiveWorkers(3);
    private volatile int sawRaise = -1;
    private volatile int woken = -1;

    public WaitersLincheckTest() {
        active.set(1);
    }

    @Operation
    public void worker() {
        active.waiters().enter(1);
        sawRaise = active.allows(1) ? 1 : 0;
    }

    @Operation
    public void controller() {
        woken = active.change(3);
    }

    @Validate
    public void noLostWakeUp() {
        if (sawRaise == 0 && woken == 0) {
            throw new IllegalStateException("lost wake-up: the worker saw the old bound and the raise found no waiter");
        }
    }

    private static Actor actor(String name) throws NoSuchMethodException {
        return new Actor(WaitersLincheckTest.class.getMethod(name), List.of());
    }

    @Test
    void theWorkerOrTheRaiseSeesTheOther() throws Exception {
        ExecutionScenario handshake = new ExecutionScenario(
                List.of(), List.of(List.of(actor("worker")), List.of(actor("controller"))), List.of(), null);
        // the property is the pair of observations (checked by @Validate), not a linearizable result
        new ModelCheckingOptions()
                .iterations(0)
                .invocationsPerIteration(1000)
                .addCustomScenario(handshake)
                .verifier(EpsilonVerifier.class)
                .check(getClass());
    }
}
