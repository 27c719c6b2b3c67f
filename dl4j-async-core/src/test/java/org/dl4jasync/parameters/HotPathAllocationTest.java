package org.dl4jasync.parameters;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.dispatch.AsyncDispatcher;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.dispatch.SspDispatcher;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The dispatcher and store part of a step allocates nothing on the Java heap after warm-up. */
class HotPathAllocationTest {

    enum Dispatch {
        ASYNC,
        BOUNDED,
        SSP;

        Dispatcher create() {
            switch (this) {
                case BOUNDED:
                    return AsyncDispatcher.bounded(1, 0); // the store's CAS path with its staleness check
                case SSP:
                    return new SspDispatcher(1, 0);
                default:
                    return new AsyncDispatcher(1);
            }
        }
    }

    static List<Arguments> everyStoreAndDispatcher() {
        List<Arguments> all = new ArrayList<>();
        for (ParameterStore.Kind k : ParameterStore.Kind.values()) {
            for (Dispatch d : Dispatch.values()) {
                all.add(Arguments.of(k, d));
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("everyStoreAndDispatcher")
    void dispatchReadReleaseApplyAllocatesNothing(ParameterStore.Kind kind, Dispatch dispatch) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no allocation counter on this JVM");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        MultiLayerNetwork net = StoreTestSupport.zeroNet();
        ParameterStore store = StoreTestSupport.store(kind, net, 1, LeashedStore.UNBOUNDED);
        WorkerView view = store.newWorkerView(0);
        Dispatcher dispatcher = dispatch.create();
        INDArray update = net.params().dup();
        StepScaler scaler = tau -> 1.0;
        long tid = Thread.currentThread().getId();
        long allocated = Long.MAX_VALUE;
        // the counter itself may be noisy once (JIT, class init): keep the best of a few measured rounds
        for (int round = 0; round < 5 && allocated > 0; round++) {
            step(dispatcher, view, update, scaler, 5_000);
            long before = mx.getThreadAllocatedBytes(tid);
            step(dispatcher, view, update, scaler, 1_000);
            allocated = mx.getThreadAllocatedBytes(tid) - before;
        }
        assertThat(allocated)
                .as("bytes allocated by 1,000 steps (%s, %s)", kind, dispatch)
                .isZero();
        store.close();
    }

    private static void step(Dispatcher d, WorkerView view, INDArray update, StepScaler scaler, int n) {
        for (int i = 0; i < n; i++) {
            long ticket = d.tryStartStep(0);
            long v = view.read();
            view.release();
            if (d.finishStep(0, ticket) && view.apply(update, v, d.maxStaleness(), scaler) >= 0) {
                d.afterApply(0, ticket);
            }
        }
    }
}
