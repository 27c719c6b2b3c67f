package org.dl4jasync.trainer;

import java.util.Locale;
import org.bytedeco.javacpp.Pointer;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.model.TrainableModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Worker counts that cannot run are refused before anything starts, with the limit and why (before, {@code train
 * --workers 100000} stalled creating threads and replicas, and a simulation of too many virtual workers with a model
 * ended in an OutOfMemoryError):
 * <ul>
 *   <li>threads: at most {@link #MAX_THREADS} workers, each a platform thread with its own replica of the network
 *       (DL4J builds each in milliseconds; thousands of threads mostly wait for the cores);</li>
 *   <li>memory, both engines: each worker holds at least a gradient and its optimizer state, and in simulation a
 *       copy of the parameters it read, off the Java heap; their sum must fit in ND4J's off-heap limit
 *       ({@code Pointer.maxBytes()}: {@code -Dorg.bytedeco.javacpp.maxbytes}, by default the maximum heap).</li>
 * </ul>
 * Without a model (scheduling only) a virtual worker costs a few hundred bytes of heap, and there is no limit here.
 */
final class WorkerLimits {
    /** Real worker threads at most. */
    static final int MAX_THREADS = 4096;

    private WorkerLimits() {}

    /** Refuses {@code config}'s worker count on threads; IllegalArgumentException saying why. */
    static void checkThreads(RunConfig config, TrainableModel model) {
        int m = config.workers();
        if (m > MAX_THREADS) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "%d workers: at most %d on threads (each "
                            + "worker is a thread with its own replica of the network; to study more workers, simulate "
                            + "them)",
                    m,
                    MAX_THREADS));
        }
        checkMemory(m, model, 2, "workers");
    }

    /** Refuses a simulation whose virtual workers' buffers cannot fit; IllegalArgumentException saying why. */
    static void checkSimulation(RunConfig config, TrainableModel model) {
        checkMemory(config.workers(), model, 3, "virtual workers"); // + the parameters each step read (deferred)
    }

    private static void checkMemory(int m, TrainableModel model, int vectorsPerWorker, String what) {
        if (!model.hasParameters()) {
            return;
        }
        INDArray p = model.params();
        long bytes = p.length() * p.dataType().width();
        long need = (long) m * vectorsPerWorker * bytes; // a lower bound: activations and workspaces come on top
        long limit = Pointer.maxBytes();
        if (limit > 0 && need > limit) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "%d %s need at least %.1f GB off the Java "
                            + "heap (%d vectors of %,d parameters each), more than ND4J may use (%.1f GB: the maximum heap, or "
                            + "-Dorg.bytedeco.javacpp.maxbytes)",
                    m,
                    what,
                    need / 1e9,
                    vectorsPerWorker,
                    p.length(),
                    limit / 1e9));
        }
    }
}
