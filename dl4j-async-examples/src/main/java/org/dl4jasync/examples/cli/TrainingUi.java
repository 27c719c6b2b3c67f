package org.dl4jasync.examples.cli;

import java.io.PrintStream;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;

/**
 * {@code train --ui [PORT]}: DL4J's training UI (its Vert.x server, a {@link StatsListener} and an in-memory stats
 * storage) for a command-line run. The UI is a dependency of this examples module only; the core library needs none
 * of it — a library user adds {@code deeplearning4j-ui} and a {@code StatsListener} as with {@code net.fit}.
 */
final class TrainingUi implements AutoCloseable {
    private final VertxUIServer server;
    private final StatsStorage storage = new InMemoryStatsStorage();

    private TrainingUi(int port) {
        this.server = VertxUIServer.getInstance(port, false, null);
        server.attach(storage);
    }

    /** Starts the UI on {@code port} (0 or below: DL4J's default, 9000) and prints where it is. */
    static TrainingUi start(int port, PrintStream out) {
        TrainingUi ui = new TrainingUi(port > 0 ? port : VertxUIServer.DEFAULT_UI_PORT);
        out.println("dl4j-async train: DL4J training UI at " + ui.address());
        return ui;
    }

    /** The training page's URL. */
    String address() {
        return "http://localhost:" + server.getPort() + "/train/overview";
    }

    /**
     * The listener to give the trainer: one session, one worker id per worker (stable across fits). It reports every
     * update it sees (DL4J's default is every 10th iteration; a worker's clone sees only its worker's updates, about
     * 1/m of them, so the default would leave each worker's chart few points).
     */
    TrainingListener listener() {
        return new StatsListener(storage, 1);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
