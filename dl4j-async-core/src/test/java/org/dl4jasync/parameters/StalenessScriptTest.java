package org.dl4jasync.parameters;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Staleness measured on a scripted interleaving of three workers. */
class StalenessScriptTest {

    @ParameterizedTest
    @EnumSource(ParameterStore.Kind.class)
    void stalenessIsUpdatesAppliedSinceTheRead(ParameterStore.Kind kind) {
        MultiLayerNetwork net = StoreTestSupport.zeroNet();
        ParameterStore store = StoreTestSupport.store(kind, net, 3, LeashedStore.UNBOUNDED);
        WorkerView a = store.newWorkerView(0);
        WorkerView b = store.newWorkerView(1);
        WorkerView c = store.newWorkerView(2);
        INDArray u = Nd4j.valueArrayOf(new long[] {store.length()}, -1.0, DataType.FLOAT);

        long ra = a.read();
        long rb = b.read();
        a.release();
        b.release();
        assertThat(b.apply(u, rb, StepScaler.UNIT)).isZero(); // v0 → v1
        long rc = c.read();
        c.release();
        assertThat(rc).isEqualTo(1);
        assertThat(a.apply(u, ra, StepScaler.UNIT)).isEqualTo(1); // B applied since A read
        long rb2 = b.read();
        b.release();
        assertThat(c.apply(u, rc, StepScaler.UNIT)).isEqualTo(1); // A applied since C read
        assertThat(b.apply(u, rb2, StepScaler.UNIT)).isEqualTo(1); // C applied since B's second read
        assertThat(store.version()).isEqualTo(4);

        // the replica shows the parameters of the version read: 4 applies of +1
        long r = a.read();
        assertThat(r).isEqualTo(4);
        assertThat(a.replica().params().getDouble(0)).isEqualTo(4.0);
        a.release();
        store.close();
    }

    @ParameterizedTest
    @EnumSource(ParameterStore.Kind.class)
    void stepScaleFactorIsAppliedForTheMeasuredStaleness(ParameterStore.Kind kind) {
        MultiLayerNetwork net = StoreTestSupport.zeroNet();
        ParameterStore store = StoreTestSupport.store(kind, net, 2, LeashedStore.UNBOUNDED);
        WorkerView a = store.newWorkerView(0);
        WorkerView b = store.newWorkerView(1);
        INDArray u = Nd4j.valueArrayOf(new long[] {store.length()}, -1.0, DataType.FLOAT);
        long ra = a.read();
        a.release();
        long rb = b.read();
        b.release();
        b.apply(u, rb, tau -> 1.0);
        a.apply(u, ra, tau -> tau == 1 ? 0.25 : 100.0);
        INDArray out = Nd4j.create(DataType.FLOAT, store.length());
        store.copyLatestTo(out);
        assertThat(out.getDouble(0)).isEqualTo(1.25);
        store.close();
    }
}
