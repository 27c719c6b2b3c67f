package org.dl4jasync.parallelism;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dl4jasync.dispatch.AsyncDispatcher;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.testing.TinyNets;
import org.dl4jasync.trainer.AsyncTrainer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/** Workers above the active bound park: under real threads their CPU time does not grow while others train. */
class ParkedWorkersTest {
    private static final List<DataSet> TRAIN = TinyNets.blobs(40, 16, 7);

    @Test
    void parkedWorkersUseNoCpuAndWakeWhenTheBoundRises() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx.isThreadCpuTimeSupported(), "no thread CPU time on this JVM");
        mx.setThreadCpuTimeEnabled(true);
        int m = 6;
        Map<Long, Long> cpuAtStep500 = new ConcurrentHashMap<>();
        Map<Long, Long> cpuAtStep2500 = new ConcurrentHashMap<>();
        long[] wallNanos = new long[2];
        AsyncDispatcher[] dispatcher = new AsyncDispatcher[1];
        int[] workersSeenAfterRaise = new int[1];
        TrainingReport r = new AsyncTrainer.Builder(TinyNets.net(2))
                .workers(m)
                .maxSteps(4000)
                .dispatcher(k -> {
                    dispatcher[0] = new AsyncDispatcher(k);
                    dispatcher[0].setActiveWorkers(2);
                    return dispatcher[0];
                })
                .stepListener((w, ticket, accepted, tau, scale, loss) -> {
                    if (ticket == 500 || ticket == 2500) {
                        Map<Long, Long> into = ticket == 500 ? cpuAtStep500 : cpuAtStep2500;
                        wallNanos[ticket == 500 ? 0 : 1] = System.nanoTime();
                        for (Thread t : Thread.getAllStackTraces().keySet()) {
                            String n = t.getName();
                            if (n.startsWith("dl4j-async-worker-") && Integer.parseInt(n.substring(18)) >= 2) {
                                into.put(t.getId(), mx.getThreadCpuTime(t.getId()));
                            }
                        }
                    }
                    if (ticket == 3000) {
                        dispatcher[0].setActiveWorkers(m); // wake the parked workers
                    }
                    if (ticket > 3200 && w >= 2) {
                        workersSeenAfterRaise[0]++;
                    }
                })
                .build()
                .fit(TinyNets.iterator(TRAIN), Integer.MAX_VALUE);
        assertThat(r.stepsAccepted()).isEqualTo(4000);
        assertThat(cpuAtStep500).hasSize(m - 2);
        double wallMs = (wallNanos[1] - wallNanos[0]) / 1e6;
        assertThat(wallMs).isPositive();
        for (Map.Entry<Long, Long> e : cpuAtStep500.entrySet()) {
            long usedNanos = cpuAtStep2500.get(e.getKey()) - e.getValue();
            // parked for the whole interval: a few wake-ups at most, far below 1 ms of CPU
            assertThat(usedNanos)
                    .as("CPU of a parked worker over %.0f ms of training", wallMs)
                    .isLessThan(1_000_000L);
        }
        assertThat(workersSeenAfterRaise[0])
                .as("raised workers run steps again")
                .isPositive();
    }
}
