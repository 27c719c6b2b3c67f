package org.dl4jasync.parameters;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.dl4jasync.model.TrainableModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LeashedStoreTest {

    @Test
    void neverNeedsMoreThan3mPlus1BuffersUnderContention() throws Exception {
        int m = 6;
        LeashedStore store = new LeashedStore(TrainableModel.of(StoreTestSupport.zeroNet()), m, LeashedStore.UNBOUNDED);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < m; t++) {
            final int id = t;
            Thread th = new Thread(() -> {
                try {
                    WorkerView view = store.newWorkerView(id);
                    INDArray u = Nd4j.valueArrayOf(new long[] {store.length()}, -1.0, DataType.FLOAT);
                    SplittableRandom r = new SplittableRandom(id);
                    for (int i = 0; i < 300; i++) {
                        long v = view.read();
                        if (r.nextInt(4) == 0) {
                            LockSupport.parkNanos(r.nextInt(50_000)); // hold the pin a while
                        }
                        view.release();
                        // the scaler runs between the copy and the CAS: parking there widens the window in
                        // which another worker publishes, so failed CAS attempts (and retries) are certain
                        view.apply(u, v, staleness -> {
                            LockSupport.parkNanos(20_000);
                            return 1.0;
                        });
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertThat(failure.get()).isNull();
        SnapshotPool pool = store.pool();
        assertThat(pool.capacity()).isEqualTo(3 * m + 1);
        assertThat(pool.maxInUse()).isLessThanOrEqualTo(3 * m + 1);
        assertThat(pool.created()).isLessThanOrEqualTo(3 * m + 1);
        // after the run only the latest snapshot and each worker's spare remain in use
        assertThat(pool.inUse()).isLessThanOrEqualTo(m + 1);
        assertThat(store.version()).isEqualTo(6L * 300);
        assertThat(store.failedCas()).as("contention actually happened").isPositive();
        store.close();
    }

    @Test
    void persistenceBoundDropsAndCountsTheGradient() {
        LeashedStore store = new LeashedStore(TrainableModel.of(StoreTestSupport.zeroNet()), 2, 0);
        WorkerView a = store.newWorkerView(0);
        WorkerView b = store.newWorkerView(1);
        INDArray u = Nd4j.valueArrayOf(new long[] {store.length()}, -1.0, DataType.FLOAT);
        long ra = a.read();
        a.release();
        long rb = b.read();
        b.release();
        // B publishes while A is between its copy and its CAS: A's CAS fails, and persistence 0 allows no retry
        long tau = a.apply(u, ra, staleness -> {
            b.apply(u, rb, StepScaler.UNIT);
            return 1.0;
        });
        assertThat(tau).isEqualTo(WorkerView.DROPPED);
        assertThat(store.droppedUpdates()).isEqualTo(1);
        assertThat(store.failedCas()).isEqualTo(1);
        assertThat(store.version()).isEqualTo(1);
        INDArray out = Nd4j.create(DataType.FLOAT, store.length());
        store.copyLatestTo(out);
        assertThat(out.getDouble(0)).as("only B's update is in").isEqualTo(1.0);
        store.close();
    }

    @Test
    void aRetryWithinThePersistenceBoundAppliesFromTheNewLatest() {
        LeashedStore store = new LeashedStore(TrainableModel.of(StoreTestSupport.zeroNet()), 2, 1);
        WorkerView a = store.newWorkerView(0);
        WorkerView b = store.newWorkerView(1);
        INDArray u = Nd4j.valueArrayOf(new long[] {store.length()}, -1.0, DataType.FLOAT);
        long ra = a.read();
        a.release();
        long rb = b.read();
        b.release();
        boolean[] interfered = {false};
        long tau = a.apply(u, ra, staleness -> {
            if (!interfered[0]) {
                interfered[0] = true;
                b.apply(u, rb, StepScaler.UNIT);
            }
            return 1.0;
        });
        assertThat(tau).as("retried from version 1").isEqualTo(1);
        assertThat(store.droppedUpdates()).isZero();
        INDArray out = Nd4j.create(DataType.FLOAT, store.length());
        store.copyLatestTo(out);
        assertThat(out.getDouble(0)).isEqualTo(2.0);
        store.close();
    }

    @Test
    void readerComputesOnThePinnedSnapshotWithoutCopying() {
        LeashedStore store = new LeashedStore(TrainableModel.of(StoreTestSupport.zeroNet()), 1, LeashedStore.UNBOUNDED);
        WorkerView a = store.newWorkerView(0);
        a.read();
        INDArray viewed = a.replica().params();
        Snapshot latest = store.pinLatest();
        assertThat(viewed).isSameAs(latest.buffer); // the layers' views: MultiLayerNetworkReplicaTest
        store.unpin(latest);
        a.release();
        store.close();
    }
}
