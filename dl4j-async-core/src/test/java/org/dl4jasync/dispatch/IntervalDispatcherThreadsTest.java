package org.dl4jasync.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.parameters.StepScaler;
import org.dl4jasync.parameters.WorkerView;
import org.dl4jasync.testing.TinyNets;
import org.dl4jasync.trainer.AsyncTrainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The interval invariants under real threads (more threads than cores). */
class IntervalDispatcherThreadsTest {

    /**
     * Threads drive the dispatcher and a store directly. The update of ticket i adds 1 to coordinate 0 and
     * (i mod 97) + 1 to coordinate 1 (small integers: float sums stay exact), so the final parameters are an exact
     * replay of which tickets were applied: they must equal the sums over the accepted tickets, i.e. no rejected
     * gradient ever touched them.
     */
    @ParameterizedTest
    @CsvSource({"8, 4", "16, 16", "32, 8"})
    void boundHoldsAndRejectedGradientsAreNeverApplied(int threads, int y) throws Exception {
        MultiLayerNetwork net = TinyNets.net(1);
        net.params().assign(0);
        ParameterStore store = ParameterStore.create(ParameterStore.Kind.LOCKED, net, threads, 0);
        IntervalDispatcher d = new IntervalDispatcher(threads, IntervalPolicy.fixed(y), null);
        long[] count = new long[threads];
        long[] ticketSum = new long[threads];
        AtomicLong violations = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int w = t;
            Thread th = new Thread(() -> {
                try {
                    WorkerView view = store.newWorkerView(w);
                    INDArray u = Nd4j.zeros(DataType.FLOAT, store.length());
                    SplittableRandom r = new SplittableRandom(w);
                    for (int k = 0; k < 400; k++) {
                        long ticket = d.tryStartStep(w);
                        long v = view.read();
                        view.release();
                        LockSupport.parkNanos(r.nextInt(30_000)); // "compute"
                        if (d.finishStep(w, ticket)) {
                            u.putScalar(0, -1.0);
                            u.putScalar(1, -(ticket % 97 + 1.0));
                            long tau = view.apply(u, v, StepScaler.UNIT);
                            if (tau > y - 1) {
                                violations.incrementAndGet();
                            }
                            count[w]++;
                            ticketSum[w] += ticket % 97 + 1;
                            d.afterApply(w, ticket);
                        } else {
                            rejected.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(violations.get()).isZero();
        long accepted = 0;
        long sum = 0;
        for (int w = 0; w < threads; w++) {
            accepted += count[w];
            sum += ticketSum[w];
        }
        INDArray p = Nd4j.create(DataType.FLOAT, store.length());
        store.copyLatestTo(p);
        assertThat(p.getDouble(0)).isEqualTo((double) accepted);
        assertThat(p.getDouble(1)).isEqualTo((double) sum);
        assertThat(store.version()).isEqualTo(accepted);
        assertThat(accepted + rejected.get()).isEqualTo(400L * threads);
        assertThat(rejected.get())
                .as("with more threads than y some steps must be rejected")
                .isPositive();
        assertThat(d.intervalsCompleted()).isEqualTo(accepted / y); // exactly y accepted per interval
        store.close();
    }

    @ParameterizedTest
    @EnumSource(ParameterStore.Kind.class)
    void theTrainerWithTheIntervalDispatcherKeepsTheBound(ParameterStore.Kind kind) {
        int y = 4;
        AtomicLong violations = new AtomicLong();
        TrainingReport r = new AsyncTrainer.Builder(TinyNets.net(3))
                .workers(16)
                .store(kind)
                .dispatcher(m -> new IntervalDispatcher(m, IntervalPolicy.fixed(y), null))
                .stepListener((w, t, accepted, tau, scale, loss) -> {
                    if (accepted && tau > y - 1) {
                        violations.incrementAndGet();
                    }
                })
                .maxSteps(400)
                .build()
                .fit(TinyNets.iterator(TinyNets.blobs(40, 8, 3)), Integer.MAX_VALUE);
        assertThat(violations.get()).isZero();
        assertThat(r.staleness().max()).isLessThanOrEqualTo(y - 1L);
        assertThat(r.stepsAccepted()).isEqualTo(400);
    }
}
