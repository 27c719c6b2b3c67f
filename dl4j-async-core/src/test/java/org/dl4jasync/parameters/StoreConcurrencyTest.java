package org.dl4jasync.parameters;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** k threads × n applies of integer-valued updates through each store. */
class StoreConcurrencyTest {
    private static final int THREADS = 4;
    private static final int APPLIES = 400;

    @ParameterizedTest
    @EnumSource(ParameterStore.Kind.class)
    void countsEveryUpdateExactly(ParameterStore.Kind kind) throws Exception {
        MultiLayerNetwork net = StoreTestSupport.zeroNet();
        ParameterStore store = StoreTestSupport.store(kind, net, THREADS, LeashedStore.UNBOUNDED);
        long[] tauSum = new long[THREADS];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            final int id = t;
            Thread th = new Thread(() -> {
                try {
                    WorkerView view = store.newWorkerView(id);
                    // update of worker t: every coordinate equals -(t + 1), so θ grows by t + 1 per apply
                    INDArray update = Nd4j.valueArrayOf(new long[] {store.length()}, -(id + 1.0), DataType.FLOAT);
                    go.await();
                    for (int i = 0; i < APPLIES; i++) {
                        long v = view.read();
                        view.release();
                        long tau = view.apply(update, v, StepScaler.UNIT);
                        assertThat(tau).isBetween(0L, (long) THREADS * APPLIES);
                        tauSum[id] += tau;
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            threads.add(th);
            th.start();
        }
        go.countDown();
        for (Thread th : threads) {
            th.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(store.version()).isEqualTo((long) THREADS * APPLIES);
        assertThat(store.droppedUpdates()).isZero();

        INDArray result = Nd4j.create(DataType.FLOAT, store.length());
        store.copyLatestTo(result);
        double expected = APPLIES * (THREADS * (THREADS + 1) / 2.0); // Σ_t n·(t+1)
        if (kind != ParameterStore.Kind.HOGWILD) {
            assertThat(result.minNumber().doubleValue()).isEqualTo(expected);
            assertThat(result.maxNumber().doubleValue()).isEqualTo(expected);
        } else {
            // racy in-place adds may lose some, never invent any
            assertThat(result.maxNumber().doubleValue()).isLessThanOrEqualTo(expected);
        }
        store.close();
    }
}
