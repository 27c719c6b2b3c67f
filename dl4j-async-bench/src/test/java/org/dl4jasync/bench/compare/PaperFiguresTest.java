package org.dl4jasync.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

class PaperFiguresTest {
    private static final Suite SUITE = new Suite(
            "f",
            "simulate",
            List.of(1L, 2L, 3L),
            OptionalDouble.empty(),
            List.of(Target.accuracy(0.5)),
            List.of(),
            List.of(
                    new Suite.Configuration("async[workers=2]", List.of()),
                    new Suite.Configuration("async[workers=8]", List.of()),
                    new Suite.Configuration("interval[interval-y=16, workers=2]", List.of()),
                    new Suite.Configuration("interval[interval-y=64, workers=2]", List.of())));

    private static RunResult run(
            String config, long seed, int workers, double acceptance, double timeToHalf, RunResult.Shape shape) {
        double[][] accuracy =
                Double.isInfinite(timeToHalf) ? new double[][] {{1, 0.4}} : new double[][] {{timeToHalf, 0.5}};
        return new RunResult(
                config,
                seed,
                "x",
                workers,
                "epochs",
                10,
                1,
                acceptance,
                0,
                0,
                0,
                1,
                10,
                0.5,
                0.5,
                new double[] {timeToHalf},
                accuracy,
                new double[0][],
                shape,
                RunResult.Work.NONE);
    }

    private static double[] y(XYChart chart, String series) {
        XYSeries s = chart.getSeriesMap().get(series);
        return s.getYData();
    }

    private static double[] x(XYChart chart, String series) {
        return chart.getSeriesMap().get(series).getXData();
    }

    @Test
    void figure4IsTheMedianTimePerThreadCountAndANeverCountsAsInfinity() {
        List<RunResult> rs = List.of(
                run("async[workers=2]", 1, 2, 1, 10, RunResult.Shape.NONE),
                run("async[workers=2]", 2, 2, 1, 30, RunResult.Shape.NONE),
                run("async[workers=2]", 3, 2, 1, 20, RunResult.Shape.NONE),
                run("async[workers=8]", 1, 8, 1, 5, RunResult.Shape.NONE),
                run("async[workers=8]", 2, 8, 1, Double.POSITIVE_INFINITY, RunResult.Shape.NONE),
                run("async[workers=8]", 3, 8, 1, 7, RunResult.Shape.NONE));
        XYChart chart = PaperFigures.timeAgainstThreads(SUITE, rs, 0.5);
        assertThat(x(chart, "async")).containsExactly(2, 8);
        assertThat(y(chart, "async")).containsExactly(20, 7); // {5, 7, ∞}: the median is 7
        // the band: maxima forwards, minima backwards, of the finite ones
        assertThat(x(chart, "async (min–max)")).containsExactly(2, 8, 8, 2);
        assertThat(y(chart, "async (min–max)")).containsExactly(30, 7, 5, 10);
        assertThat(PaperFigures.timeAgainstThreads(SUITE, rs.subList(0, 3), 0.5))
                .as("one thread count")
                .isNull();
    }

    @Test
    void dl4jsLoopsAreHorizontalReferencesNotAThreadCount() {
        RunResult netfit = new RunResult(
                "netfit",
                1,
                "netfit",
                1,
                "epochs",
                10,
                1,
                1,
                0,
                0,
                0,
                1,
                10,
                0.5,
                0.5,
                new double[] {12},
                new double[][] {{12, 0.5}},
                new double[0][],
                RunResult.Shape.NONE,
                RunResult.Work.NONE);
        RunResult pw = new RunResult(
                "parallelwrapper",
                1,
                "parallelwrapper",
                4,
                "epochs",
                10,
                1,
                1,
                0,
                0,
                0,
                1,
                10,
                0.5,
                0.5,
                new double[] {9},
                new double[][] {{9, 0.5}},
                new double[0][],
                RunResult.Shape.NONE,
                RunResult.Work.NONE);
        List<RunResult> rs = List.of(
                run("async[workers=2]", 1, 2, 1, 10, RunResult.Shape.NONE),
                run("async[workers=8]", 1, 8, 1, 5, RunResult.Shape.NONE),
                netfit,
                pw);
        XYChart chart = PaperFigures.timeAgainstThreads(SUITE, rs, 0.5);
        assertThat(x(chart, "async")).containsExactly(2, 8);
        assertThat(x(chart, "netfit (1 thread, DL4J)")).containsExactly(2, 8);
        assertThat(y(chart, "netfit (1 thread, DL4J)")).containsExactly(12, 12);
        assertThat(y(chart, "parallelwrapper (4 threads, DL4J)")).containsExactly(9, 9);
        assertThat(PaperFigures.timeAgainstThreads(SUITE, List.of(rs.get(0), netfit, pw), 0.5))
                .as("one thread count of the methods: DL4J's loops do not make a second")
                .isNull();
    }

    @Test
    void figure2IsAcceptanceAgainstYPerThreadCount() {
        RunResult.Shape y16 = new RunResult.Shape(new long[0][], 16, new double[0][], new double[0][]);
        RunResult.Shape y64 = new RunResult.Shape(new long[0][], 64, new double[0][], new double[0][]);
        List<RunResult> rs = List.of(
                run("interval[interval-y=16, workers=2]", 1, 2, 0.6, 1, y16),
                run("interval[interval-y=16, workers=2]", 2, 2, 0.8, 1, y16),
                run("interval[interval-y=64, workers=2]", 1, 2, 0.9, 1, y64),
                run("async[workers=2]", 1, 2, 1.0, 1, RunResult.Shape.NONE));
        XYChart chart = PaperFigures.acceptanceAgainstY(SUITE, rs);
        assertThat(x(chart, "m = 2")).containsExactly(16, 64);
        assertThat(y(chart, "m = 2")[0]).isCloseTo(0.7, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(y(chart, "m = 2")[1]).isEqualTo(0.9);
        assertThat(PaperFigures.acceptanceAgainstY(SUITE, rs.subList(0, 2)))
                .as("one value of y")
                .isNull();
    }

    @Test
    void figure3bPoolsTheSeedsHistogramsIntoFractions() {
        RunResult.Shape a =
                new RunResult.Shape(new long[][] {{0, 2}, {1, 1}}, Double.NaN, new double[0][], new double[0][]);
        RunResult.Shape b = new RunResult.Shape(
                new long[][] {{0, 0}, {1, 3}, {4, 2}}, Double.NaN, new double[0][], new double[0][]);
        RunResult.Shape sync = new RunResult.Shape(new long[][] {{0, 9}}, Double.NaN, new double[0][], new double[0][]);
        List<RunResult> rs = List.of(
                run("async[workers=2]", 1, 2, 1, 1, a),
                run("async[workers=2]", 2, 2, 1, 1, b),
                run("async[workers=8]", 1, 8, 1, 1, sync));
        XYChart chart = PaperFigures.stalenessHistograms(SUITE, rs);
        assertThat(chart.getSeriesMap().keySet())
                .as("τ = 0 only: nothing on a log axis")
                .containsExactly("async[workers=2]");
        assertThat(x(chart, "async[workers=2]")).containsExactly(0, 1, 4);
        assertThat(y(chart, "async[workers=2]")).containsExactly(0.25, 0.5, 0.25);
        assertThat(PaperFigures.stalenessHistograms(SUITE, rs.subList(2, 3))).isNull();
    }

    @Test
    void intervalTracesArePutOnTheTimeAxisThroughTheLossTrace() throws Exception {
        String json =
                """
                {"algorithm": "interval", "workers": 2, "config": {"algorithm": "interval", "interval_y": 64},
                 "staleness": {"histogram": [[0, 5], [1, 7]]},
                 "interval_trace": [[0, 64], [100, 32], [250, 16], [400, 8]],
                 "loss_trace": [[2.0, 100, 1.0], [6.0, 300, 0.5]],
                 "accuracy_trace": [[6.0, 300, 0.6]]}
                """;
        RunResult r = RunResult.of(
                new ObjectMapper().readTree(json),
                "interval[interval-y=64, workers=2]",
                1,
                List.of(Target.accuracy(0.5)),
                Double.NaN);
        assertThat(r.shape().intervalY()).isEqualTo(64);
        assertThat(r.shape().stalenessHistogram()).isDeepEqualTo(new long[][] {{0, 5}, {1, 7}});
        // steps 0 → 0 s, 100 → 2 s, 250 → 5 s (between 100 at 2 s and 300 at 6 s), past the end → 6 s
        assertThat(r.shape().yTrace()).isDeepEqualTo(new double[][] {{0, 64}, {2, 32}, {5, 16}, {6, 8}});
        assertThat(r.shape().mTrace()).isEmpty();
        XYChart ys = Plots.intervalSizeAgainstTime(SUITE, List.of(r));
        assertThat(ys.getSeriesMap()).containsKey("interval[interval-y=64, workers=2]");
        assertThat(Plots.parallelismAgainstTime(SUITE, List.of(r)))
                .as("no elastic run")
                .isNull();
    }

    @Test
    void elasticTracesAreReadAsTheyAre() throws Exception {
        String json =
                """
                {"algorithm": "elastic", "workers": 8, "config": {"algorithm": "elastic"},
                 "parallelism_trace": [[0.0, 0, 4], [1.5, 300, 6]], "loss_trace": [],
                 "accuracy_trace": [[3.0, 600, 0.9]]}
                """;
        RunResult r = RunResult.of(
                new ObjectMapper().readTree(json),
                "elastic",
                1,
                List.of(Target.accuracy(0.8), Target.accuracy(0.95)),
                Double.NaN);
        assertThat(r.shape().mTrace()).isDeepEqualTo(new double[][] {{0, 4}, {1.5, 6}});
        assertThat(r.workerSecondsTo(0))
                .as("4 workers for 1.5 s, then 6 for 1.5 s")
                .isEqualTo(15);
        assertThat(r.workerSecondsTo(1)).isInfinite();
        RunResult constant = run("async[workers=8]", 1, 8, 1, 5, RunResult.Shape.NONE);
        assertThat(constant.workerSecondsTo(0)).isEqualTo(40);
        assertThat(r.shape().intervalY()).isNaN();
        assertThat(r.shape().yTrace()).isEmpty();
    }

    @Test
    void writeAllWritesTheFiguresThereIsSomethingForAndRemovesStaleOnes(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("m-vs-time.png"), "from an earlier run");
        List<RunResult> rs = List.of(
                run("async[workers=2]", 1, 2, 1, 10, RunResult.Shape.NONE),
                run("async[workers=8]", 1, 8, 1, 5, RunResult.Shape.NONE));
        List<Path> written = Plots.writeAll(SUITE, rs, dir);
        // no loss trace, interval or elastic run: those figures are left out
        assertThat(written)
                .extracting(p -> p.getFileName().toString())
                .containsExactly("accuracy-vs-time.png", "time-vs-threads.png");
        assertThat(dir.resolve("m-vs-time.png")).doesNotExist();
        for (Path p : written) {
            assertThat(Files.readAllBytes(p)).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        }
    }
}
