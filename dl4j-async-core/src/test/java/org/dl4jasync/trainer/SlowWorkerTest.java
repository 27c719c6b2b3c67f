package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.metrics.StepListener;
import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A worker that is merely slow (here: worker 0 sleeps 30 ms after each of its steps, some 30× a step of the tiny
 * network) holds the others back only as far as the algorithm prescribes: not at all for the asynchronous ones,
 * by the slack for SSP, by one round for sync. The asynchronous checks compare step counts, not times: the fast
 * workers finish the run's updates while the slow one has done a small share of them, whatever the machine's load.
 */
@Timeout(120)
class SlowWorkerTest {
    private static final int M = 4;
    private static final long STEPS = 240;
    private static final List<DataSet> TRAIN = TinyNets.blobs(60, 8, 3);

    /** Counts each worker's finished steps; worker 0 sleeps after each. */
    private static final class SlowWorkerZero implements StepListener {
        final AtomicLongArray finished = new AtomicLongArray(M);

        @Override
        public void onStep(int worker, long ticket, boolean accepted, long staleness, double scale, double loss) {
            finished.incrementAndGet(worker);
            if (worker == 0) {
                LockSupport.parkNanos(30_000_000L);
            }
        }

        long others() {
            long n = 0;
            for (int w = 1; w < M; w++) {
                n += finished.get(w);
            }
            return n;
        }
    }

    enum Unblocked {
        ASYNC,
        BOUNDED,
        KASYNC,
        INTERVAL
    }

    @ParameterizedTest
    @EnumSource(Unblocked.class)
    void asynchronousAlgorithmsAreNotHeldBackByASlowWorker(Unblocked algo) {
        SlowWorkerZero slow = new SlowWorkerZero();
        AsyncTrainer.Builder b = new AsyncTrainer.Builder(TinyNets.net(2))
                .workers(M)
                .maxSteps(STEPS)
                .stepListener(slow);
        switch (algo) {
            case BOUNDED: // the slow worker's steps are too stale and rejected, never waited for
                b.dispatch(org.dl4jasync.dispatch.DispatchSpec.Bounded.of(2));
                break;
            case KASYNC: // rounds of K = m − 1: the slow worker is never needed to close one
                b.dispatch(org.dl4jasync.dispatch.RoundSpec.KAsync.of(M - 1));
                break;
            case INTERVAL:
                b.dispatch(org.dl4jasync.dispatch.DispatchSpec.Interval.fixed(
                        64)); // held back only where an interval of 64 ends
                break;
            default:
                b.algorithm(Algorithm.ASYNC);
        }
        TrainingReport r = b.build().fit(TinyNets.iterator(TRAIN), Integer.MAX_VALUE);
        assertThat(r.stepsAccepted()).isEqualTo(STEPS);
        assertThat(slow.finished.get(0)).as("the slow worker's steps").isLessThan(slow.others() / 4);
    }

    @Test
    void sspHoldsTheFastWorkersExactlyAtTheSlack() {
        SlowWorkerZero slow = new SlowWorkerZero();
        TrainingReport r = new AsyncTrainer.Builder(TinyNets.net(2))
                .workers(M)
                .maxSteps(60)
                .stepListener(slow)
                .dispatch(new org.dl4jasync.dispatch.DispatchSpec.Ssp(3))
                .build()
                .fit(TinyNets.iterator(TRAIN), Integer.MAX_VALUE);
        Map<?, ?> json = parse(r);
        // the fast workers ran ahead up to the slack (not held back earlier) and never beyond it
        assertThat(((Number) json.get("clock_spread_max")).longValue()).isEqualTo(3);
        for (int w = 1; w < M; w++) {
            assertThat(slow.finished.get(w)).isLessThanOrEqualTo(slow.finished.get(0) + 3 + 1);
        }
    }

    @Test
    void syncWaitsForTheSlowWorkerOnceARound() {
        SlowWorkerZero slow = new SlowWorkerZero();
        TrainingReport r = new AsyncTrainer.Builder(TinyNets.net(2))
                .workers(M)
                .maxSteps(10)
                .stepListener(slow)
                .algorithm(Algorithm.SYNC)
                .build()
                .fit(TinyNets.iterator(TRAIN), Integer.MAX_VALUE);
        assertThat(r.stepsAccepted()).isEqualTo(10);
        for (int w = 0; w < M; w++) { // one gradient of every worker in every round: no one more than a round ahead
            assertThat(slow.finished.get(w)).isEqualTo(10);
        }
    }

    private static Map<?, ?> parse(TrainingReport r) {
        try {
            return TrainingReport.parse(r.toJson());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
