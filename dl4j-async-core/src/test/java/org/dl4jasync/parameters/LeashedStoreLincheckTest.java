package org.dl4jasync.parameters;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The CAS-published store (Leashed-SGD: publish by CAS, pin, recycle) is linearizable as an atomic counter of
 * applied updates: Lincheck runs random concurrent scenarios of worker applies (each subtracts 1 from every
 * parameter), consistent copies of the latest parameters and version reads on the real store, and checks every
 * outcome against a sequential execution. A copy that mixed two versions (torn), a lost or doubled update, or a
 * version that disagrees with the parameters has no sequential explanation. Snapshot buffers are recycled all the
 * time here (a pool of 3m + 1 for m = 3 workers). Stress mode only: ND4J's native calls are outside what Lincheck's
 * model checker can instrument (the protocol's pure-Java parts are model-checked in the dispatch and stepsize
 * tests).
 */
@Param(name = "worker", gen = ThreadIdGen.class)
public class LeashedStoreLincheckTest {
    private static final int WORKERS = 3;

    private final MultiLayerNetwork net = StoreTestSupport.zeroNet();
    private final ParameterStore store =
            StoreTestSupport.store(ParameterStore.Kind.LEASHED, net, WORKERS, ParameterStore.UNBOUNDED_PERSISTENCE);
    private final WorkerView[] views = new WorkerView[WORKERS];
    private final INDArray ones;

    public LeashedStoreLincheckTest() {
        for (int w = 0; w < WORKERS; w++) {
            views[w] = store.newWorkerView(w);
        }
        ones = Nd4j.ones(net.params().dataType(), net.params().length());
    }

    /** Worker {@code w} reads (pins and releases) and applies an update of all ones: θ ← θ − 1. */
    @Operation
    public void apply(@Param(name = "worker") int w) {
        WorkerView v = views[w];
        long read = v.read();
        v.release();
        v.apply(ones, read, StepScaler.UNIT);
    }

    /** A consistent copy of the latest parameters: −(updates applied) in every element, else NaN (torn). */
    @Operation
    public double copy() {
        INDArray dest = Nd4j.create(net.params().dataType(), net.params().length());
        store.copyLatestTo(dest);
        double first = dest.getDouble(0);
        return dest.eq(first).all() ? first : Double.NaN;
    }

    @Operation
    public long version() {
        return store.version();
    }

    @Test
    void linearizableUnderStress() {
        new StressOptions()
                .iterations(15)
                .invocationsPerIteration(300)
                .threads(WORKERS)
                .actorsPerThread(3)
                .actorsBefore(0)
                .actorsAfter(1)
                .check(getClass());
    }
}
