package org.dl4jasync.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PaperTableTest {
    private static RunResult run(String config, int workers, long seed, double[][] trace) {
        double best = 0;
        for (double[] p : trace) {
            best = Math.max(best, p[1]);
        }
        return new RunResult(
                config,
                seed,
                "x",
                workers,
                "epochs",
                1,
                1,
                1,
                0,
                0,
                0,
                1,
                1,
                best,
                best,
                new double[0],
                trace,
                new double[0][],
                RunResult.Shape.NONE,
                RunResult.Work.NONE);
    }

    @Test
    void methodsAreConfigurationsWithoutTheWorkersAxis() {
        assertThat(PaperTable.method("async[workers=16]")).isEqualTo("async");
        assertThat(PaperTable.method("interval[interval-y=64, workers=2]")).isEqualTo("interval[interval-y=64]");
        assertThat(PaperTable.method("sync")).isEqualTo("sync");
    }

    @Test
    void bestAndAverageAccuracyAndTimeToTheCommonAccuracy() {
        List<RunResult> results = List.of(
                run("async[workers=2]", 2, 1, new double[][] {{10, 0.5}, {20, 0.7}}),
                run("async[workers=2]", 2, 2, new double[][] {{10, 0.6}, {30, 0.8}}),
                run("async[workers=16]", 16, 1, new double[][] {{5, 0.65}}),
                run("interval[workers=2]", 2, 1, new double[][] {{8, 0.66}}),
                run("interval[workers=16]", 16, 1, new double[][] {{4, 0.7}}),
                run("interval[workers=16]", 16, 2, new double[][] {{4, 0.5}}));
        String md = PaperTable.markdown(results);
        // the common accuracy: the smallest cell best, async at 16 threads (0.65)
        assertThat(md).contains("time to 0.6500, the highest accuracy every method reaches");
        assertThat(md).contains("| async | 0.8000 / 0.7500 | 20.0 s / 25.0 s | 0.6500 / 0.6500 | 5.00 s / 5.00 s |");
        assertThat(md)
                .contains(
                        "| interval | 0.6600 / 0.6600 | 8.00 s / 8.00 s | 0.7000 / 0.6000 | 4.00 s / 4.00 s (1 of 2) |");
        assertThat(PaperTable.markdown(results.subList(0, 2)))
                .as("one cell: no table")
                .isEmpty();
    }
}
