package org.dl4jasync.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

class PlotsAndHtmlTest {
    private static final Suite SUITE = new Suite(
            "p",
            "train",
            List.of(1L, 2L, 3L),
            OptionalDouble.empty(),
            List.of(Target.accuracy(0.5)),
            List.of(),
            List.of(
                    new Suite.Configuration("a", List.of()),
                    new Suite.Configuration("b", List.of()),
                    new Suite.Configuration("not-run", List.of())));

    private static RunResult run(String config, long seed, double[][] accuracy) {
        return new RunResult(
                config,
                seed,
                "async",
                2,
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
                new double[] {1},
                accuracy,
                new double[][] {{1, 2.0}, {10, 1.0}},
                RunResult.Shape.NONE,
                RunResult.Work.NONE);
    }

    @Test
    void theBandIsTheMedianMinAndMaxOfStepFunctions() {
        List<double[][]> runs = List.of(
                new double[][] {{1, 0.1}, {5, 0.5}}, new double[][] {{2, 0.2}, {5, 0.6}}, new double[][] {{3, 0.3}});
        assertThat(Plots.valueAt(runs.get(0), 0.5)).isNaN();
        assertThat(Plots.valueAt(runs.get(0), 4.9)).isEqualTo(0.1);
        List<double[]> band = Plots.band(runs, 6);
        double[] at6 = band.get(band.size() - 1);
        assertThat(at6).containsExactly(6, 0.5, 0.3, 0.6);
        double[] first = band.get(0); // t = 0.05: no run has a value yet, so the band starts at t = 1
        assertThat(first[0]).isGreaterThanOrEqualTo(1);
        assertThat(first[1]).isEqualTo(0.1);
    }

    @Test
    void oneMedianLineOverAFilledUnlistedBandPerConfigurationThatRan(@TempDir Path dir) throws Exception {
        List<RunResult> results = List.of(
                run("a", 1, new double[][] {{1, 0.3}, {2, 0.6}}),
                run("a", 2, new double[][] {{1, 0.4}, {2, 0.5}}),
                run("b", 1, new double[][] {{1.5, 0.2}}));
        XYChart chart = Plots.accuracyAgainstTime(SUITE, results);
        assertThat(chart.getSeriesMap().keySet()).containsExactly("a (min–max)", "a", "b (min–max)", "b");
        XYSeries median = chart.getSeriesMap().get("a");
        assertThat(median.isShowInLegend()).isTrue();
        XYSeries band = chart.getSeriesMap().get("a (min–max)");
        assertThat(band.isShowInLegend()).isFalse();
        assertThat(band.getXYSeriesRenderStyle()).isEqualTo(XYSeries.XYSeriesRenderStyle.PolygonArea);
        assertThat(band.getFillColor().getAlpha()).as("translucent").isBetween(1, 254);
        // the polygon: along the maxima forwards, back along the minima
        double[] bx = band.getXData();
        double[] by = band.getYData();
        int n = bx.length / 2;
        assertThat(bx[0]).isEqualTo(bx[2 * n - 1]);
        assertThat(by[n - 1]).isEqualTo(0.6); // max at the end
        assertThat(by[n]).isEqualTo(0.5); // min at the end
        assertThat(Plots.lossAgainstTime(SUITE, results).getSeriesMap()).containsKey("b");
        Path png = dir.resolve("acc.png");
        Plots.save(chart, png);
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');

        String html = HtmlReport.html(
                "p <suite>", "# p\n\nsome `code` & text\n\n| x | y |\n| --- | ---: |\n" + "| a | 1 |\n", List.of(png));
        assertThat(html)
                .contains("<title>p &lt;suite&gt;</title>")
                .contains("<h1>p</h1>")
                .contains("<p>some <code>code</code> &amp; text</p>")
                .contains("<tr><th>x</th><th>y</th></tr>\n<tr><td>a</td><td>1</td></tr>")
                .contains("src=\"data:image/png;base64,iVBORw0KGgo");
        assertThat(html)
                .as("self-contained")
                .doesNotContain("http://")
                .doesNotContain("https://")
                .doesNotContain("<script");
    }
}
