package org.dl4jasync.bench;

import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.dispatch.AsyncDispatcher;
import org.dl4jasync.dispatch.Dispatcher;
import org.dl4jasync.examples.models.Models;
import org.dl4jasync.parameters.ParameterStore;
import org.dl4jasync.parameters.StepScaler;
import org.dl4jasync.parameters.WorkerView;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the dispatcher and the store add to one step, on LeNet-5's parameter vector (61,706 floats): ticket,
 * read (pin/copy), release, accept, apply. Everything else a step does is DL4J's forward and backward pass.
 * Compare with the step time measured by {@link Throughput}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g"})
public class StepOverheadBenchmark {
    @Param({"HOGWILD", "LOCKED", "LEASHED"})
    public ParameterStore.Kind store;

    private ParameterStore parameters;
    private WorkerView view;
    private Dispatcher dispatcher;
    private INDArray update;

    @Setup(Level.Trial)
    public void setUp() {
        MultiLayerNetwork net = new MultiLayerNetwork(Models.lenet(28, 28, 1, 10, Models.sgd(0.01, 0.5), 1));
        net.init();
        parameters = ParameterStore.create(store, net, 1, ParameterStore.UNBOUNDED_PERSISTENCE);
        view = parameters.newWorkerView(0);
        dispatcher = new AsyncDispatcher(1);
        update = net.params().dup().muli(1e-9);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parameters.close();
    }

    /** The dispatcher and store calls of one step, without the gradient computation between them. */
    @Benchmark
    public long dispatchAndStore() {
        long ticket = dispatcher.tryStartStep(0);
        long v = view.read();
        view.release();
        long tau = -1;
        if (dispatcher.finishStep(0, ticket)) {
            tau = view.apply(update, v, StepScaler.UNIT);
            dispatcher.afterApply(0, ticket);
        }
        return tau;
    }
}
