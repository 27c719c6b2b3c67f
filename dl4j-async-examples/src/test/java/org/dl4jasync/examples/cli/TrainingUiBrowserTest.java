package org.dl4jasync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.examples.data.TrainTest;
import org.dl4jasync.metrics.TrainingReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DL4J's training UI, checked as a person would: a short run of the residual graph with {@code train --ui}'s UI
 * ({@link TrainingUi}: DL4J's server, a StatsListener, in-memory storage), then the UI's own session list asked over
 * HTTP (one session, one worker id per worker) and the overview page loaded in a real headless browser (Debian's
 * {@code chromium}), whose screenshot must show the page. Skipped where no chromium is installed. To refresh the
 * screenshot in {@code docs/images/} run (CONTRIBUTING.md):
 * {@code ./mvnw -pl dl4j-async-examples test -Dtest=TrainingUiBrowserTest -Ddl4jasync.uiScreenshot=docs/images/training-ui.png}.
 */
class TrainingUiBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STEPS = 150;

    @Test
    void oneSessionWithStableWorkersAndTheCurvesInARealBrowser(@TempDir Path tmp) throws Exception {
        Path chromium = findChromium();
        assumeTrue(chromium != null, "no chromium on this machine (apt-get install -y chromium)");
        int port = freePort();
        Experiment experiment = new Experiment("embedded", null, "resnet-small", 16, 0.02, 0.5);
        TrainTest data = experiment.loadData();
        try (TrainingUi ui = TrainingUi.start(port, System.out)) {
            RunConfig config = RunConfig.builder().workers(2).maxSteps(STEPS).build();
            TrainingReport first = ExperimentRunner.run(experiment, config, data, null, ui.listener());
            assertThat(first.stepsAccepted()).isEqualTo(STEPS);

            Map<?, ?> sessions = JSON.readValue(get(port, "/train/sessions/info"), Map.class);
            assertThat(sessions).as("one training session").hasSize(1);
            Map<?, ?> session = (Map<?, ?>) sessions.values().iterator().next();
            assertThat(((Number) session.get("numWorkers")).intValue())
                    .as("a worker id per worker")
                    .isEqualTo(2);
            assertThat(session.get("modelType").toString()).contains("ComputationGraph");
            get(port, "/train/sessions/set/" + sessions.keySet().iterator().next());
            Map<?, ?> overview = JSON.readValue(get(port, "/train/overview/data"), Map.class);
            assertThat((List<?>) overview.get("scores"))
                    .as("the score chart's points")
                    .isNotEmpty();

            Path shot = screenshotPath(tmp);
            Files.createDirectories(shot.toAbsolutePath().getParent());
            Files.deleteIfExists(shot);
            List<String> cmd = new ArrayList<>(List.of(
                    chromium.toString(),
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--hide-scrollbars",
                    "--window-size=1400,1000",
                    "--virtual-time-budget=15000",
                    "--screenshot=" + shot.toAbsolutePath(),
                    "http://localhost:" + port + "/train/overview"));
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("chromium.log").toFile())
                    .start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
            assertThat(shot).as("screenshot written").exists();
            // a rendered page with charts, not a blank or error page: a PNG of some size
            assertThat(Files.size(shot)).isGreaterThan(30_000);
            System.out.println("screenshot of the training UI: " + shot.toAbsolutePath());
        }
    }

    private static Path screenshotPath(Path tmp) {
        String wanted = System.getProperty("dl4jasync.uiScreenshot");
        if (wanted == null || wanted.isBlank()) {
            return tmp.resolve("training-ui.png");
        }
        Path p = Paths.get(wanted);
        // relative to the repository root (surefire runs in the module directory)
        return p.isAbsolute()
                ? p
                : Paths.get(System.getProperty("dl4jasync.home", "..")).resolve(p);
    }

    private static String get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    private static Path findChromium() {
        for (String name : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                Path p = Paths.get(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
