package org.dl4jasync.parameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.model.TrainableModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A store's shared optimizer state: formed once per write, under the store's protocol; a refused apply leaves it as
 * it was; the latest state can be copied out.
 */
class SharedStateStoreTest {

    /** A former that counts its formations in the state and doubles the gradient into the update. */
    private static final class Counting implements UpdateFormer {
        private final INDArray state;
        private final INDArray update;

        Counting(INDArray state, INDArray update) {
            this.state = state;
            this.update = update;
        }

        @Override
        public INDArray state() {
            return state;
        }

        @Override
        public void form() {
            state.addi(1.0);
            update.muli(2.0);
        }
    }

    private static UpdateFormer former(ParameterStore store, INDArray update) {
        // HOGWILD!, locked: the worker's updater views the store's state; CAS-published: a private array
        INDArray state = store.sharedState() != null ? store.sharedState() : Nd4j.zeros(update.dataType(), 3);
        return new Counting(state, update);
    }

    @ParameterizedTest
    @EnumSource(ParameterStore.Kind.class)
    void everyWriteFormsOnceThroughTheSharedState(ParameterStore.Kind kind) {
        MultiLayerNetwork net = StoreTestSupport.zeroNet();
        INDArray start = Nd4j.zeros(net.params().dataType(), 3);
        ParameterStore store =
                ParameterStore.create(kind, TrainableModel.of(net), 2, ParameterStore.UNBOUNDED_PERSISTENCE, start);
        assertThat(store.hasSharedState()).isTrue();
        WorkerView a = store.newWorkerView(0);
        WorkerView b = store.newWorkerView(1);
        INDArray g = Nd4j.ones(net.params().dataType(), store.length());

        long va = a.read();
        a.release();
        INDArray ua = g.dup();
        assertThat(a.apply(ua, va, WorkerView.UNBOUNDED, StepScaler.UNIT, former(store, ua)))
                .isZero();
        INDArray state = Nd4j.zeros(start.dataType(), 3);
        store.copySharedStateTo(state);
        assertThat(state.toDoubleVector()).containsExactly(1, 1, 1);
        INDArray p = net.params().dup();
        store.copyLatestTo(p);
        assertThat(p.maxNumber().doubleValue()).isEqualTo(-2.0); // θ ← θ − 2·g: the formed update was applied

        // b read before a's write: with the bound 0 its update is stale, nothing is formed or written
        long vb = 0;
        INDArray ub = g.dup();
        assertThat(b.apply(ub, vb, 0, StepScaler.UNIT, former(store, ub))).isEqualTo(WorkerView.STALE);
        store.copySharedStateTo(state);
        assertThat(state.toDoubleVector()).containsExactly(1, 1, 1);
        assertThat(store.version()).isEqualTo(1);

        // within the bound: formed once more from the latest state
        INDArray ub2 = g.dup();
        assertThat(b.apply(ub2, vb, 1, StepScaler.UNIT, former(store, ub2))).isEqualTo(1);
        store.copySharedStateTo(state);
        assertThat(state.toDoubleVector()).containsExactly(2, 2, 2);
    }

    @ParameterizedTest
    @EnumSource(ParameterStore.Kind.class)
    void aFormerWithoutASharedStateIsRefused(ParameterStore.Kind kind) {
        MultiLayerNetwork net = StoreTestSupport.zeroNet();
        ParameterStore store = StoreTestSupport.store(kind, net, 1, ParameterStore.UNBOUNDED_PERSISTENCE);
        WorkerView v = store.newWorkerView(0);
        INDArray u = Nd4j.ones(net.params().dataType(), store.length());
        assertThatThrownBy(() -> v.apply(
                        u, 0, WorkerView.UNBOUNDED, StepScaler.UNIT, new Counting(Nd4j.zeros(u.dataType(), 3), u)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.copySharedStateTo(Nd4j.zeros(3))).isInstanceOf(IllegalStateException.class);
    }
}
