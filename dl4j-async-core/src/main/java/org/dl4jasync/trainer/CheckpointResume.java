package org.dl4jasync.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.dl4jasync.checkpoint.CheckpointDirectory;
import org.dl4jasync.checkpoint.IncompatibleCheckpointException;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.model.TrainableModel;
import org.dl4jasync.parameters.StoreSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resuming from a checkpoint directory: finds the newest intact checkpoint (a corrupt or partial one is skipped with
 * a warning naming it), checks that it is this training's — the same network configuration, the same options
 * (those that only watch or stop a run may differ: {@link #MAY_DIFFER}, the epochs among them), the same data (batches
 * per epoch and {@link DataFingerprint}) — and restores the network (parameters, the training's updater state, iteration and epoch counts). The rest of
 * the state goes to the run ({@link Resume}).
 */
final class CheckpointResume {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointResume.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Options that say how a run is watched, stopped or checkpointed, not what it trains. */
    static final Set<String> MAY_DIFFER = Set.of(
            "epochs",
            "max_steps",
            "time_limit",
            "virtual_time_limit",
            "target_accuracy",
            "eval_every",
            "eval_every_seconds",
            "eval_mode",
            "loss_trace_every",
            "on_non_finite",
            "checkpoint_dir",
            "checkpoint_every",
            "checkpoint_every_seconds",
            "keep_checkpoints",
            "resume");

    private CheckpointResume() {}

    /**
     * Loads the newest intact checkpoint of {@code dir} for a run of {@code config} on {@code model} over data of
     * {@code batchesPerEpoch} batches (−1: not known ahead) with {@code fingerprint} ({@link DataFingerprint}; null:
     * streamed data), restores {@code model} and returns the run's part.
     *
     * @throws IncompatibleCheckpointException when there is none, or it is another training's (saying what differs)
     */
    static Resume load(Path dir, TrainableModel model, RunConfig config, long batchesPerEpoch, String fingerprint) {
        if (config.measuresAsynchronyNoise()) {
            throw new IncompatibleCheckpointException("the asynchrony-noise measurement (measure_ain) keeps the "
                    + "updates of recent versions in memory and does not survive a resume; resume without it");
        }
        CheckpointDirectory.Loaded loaded = CheckpointDirectory.newest(dir, LOG::warn)
                .orElseThrow(() -> new IncompatibleCheckpointException("no intact checkpoint in " + dir));
        String where = "checkpoint " + loaded.file;
        try {
            return load(loaded, where, model, config, batchesPerEpoch, fingerprint);
        } catch (RuntimeException e) {
            throw Resume.unreadable(where, e);
        }
    }

    private static Resume load(
            CheckpointDirectory.Loaded loaded,
            String where,
            TrainableModel model,
            RunConfig config,
            long batchesPerEpoch,
            String fingerprint) {
        compareModels(where, loaded.contents.modelConfiguration, model.configurationJson(0, 0));
        Resume resume;
        try {
            resume = new Resume(loaded.contents);
        } catch (IllegalArgumentException e) {
            throw Resume.unreadable(where, e);
        }
        compareOptions(where, resume.state.config(), config.provenance(), config.store());
        TrainerState.Data data = resume.state.data();
        // the epochs may differ, as every stop condition: the resumed run trains up to its own count
        long perEpoch = data.batchesPerEpoch();
        if (perEpoch >= 0 && batchesPerEpoch >= 0 && perEpoch != batchesPerEpoch) {
            throw new IncompatibleCheckpointException(where + " was made on data of " + perEpoch
                    + " batches per epoch, this data has " + batchesPerEpoch);
        }
        String savedPrint = data.fingerprintText();
        if (savedPrint != null && fingerprint == null
                || savedPrint == null && fingerprint != null && data.recordsData()) {
            throw new IncompatibleCheckpointException(where + " was made on data "
                    + (savedPrint != null ? "held in memory" : "streamed (DataMode.PREFETCH, e.g. augmented)")
                    + ", this run's is "
                    + (fingerprint != null ? "held in memory" : "streamed (DataMode.PREFETCH, e.g. augmented)"));
        }
        if (savedPrint != null && !savedPrint.equals(fingerprint)) {
            throw new IncompatibleCheckpointException(
                    where + " was made on other data (" + savedPrint + "), this run's is " + fingerprint);
        }
        if (resume.workerStats.size() != config.workers()) {
            throw new IncompatibleCheckpointException(
                    where + " has " + resume.workerStats.size() + " workers, this run " + config.workers());
        }
        model.restore(loaded.contents.params, loaded.contents.modelUpdaterState, loaded.contents.modelConfiguration);
        LOG.info("resuming from {} ({} updates, epoch {})", loaded.file, resume.accepted, model.epochCount());
        return resume;
    }

    /** The networks' configurations, iteration and epoch counts aside. */
    private static void compareModels(String where, String saved, String now) {
        try {
            JsonNode a = JSON.readTree(saved);
            JsonNode b = JSON.readTree(now);
            withoutCounts(a);
            withoutCounts(b);
            String diff = firstDifference("", a, b);
            if (diff != null) {
                throw new IncompatibleCheckpointException(where + " is of another network: " + diff);
            }
        } catch (IOException e) {
            throw new IncompatibleCheckpointException(
                    where + " has an unreadable network configuration: " + e.getMessage());
        }
    }

    /** Removes the iteration and epoch counts, which DL4J keeps in the configuration and its layers' too. */
    private static void withoutCounts(JsonNode n) {
        if (n.isObject()) {
            ((ObjectNode) n).remove("iterationCount");
            ((ObjectNode) n).remove("epochCount");
        }
        for (JsonNode child : n) {
            withoutCounts(child);
        }
    }

    private static void compareOptions(
            String where, Map<String, Object> saved, Map<String, Object> now, StoreSpec store) {
        for (Map.Entry<String, Object> e : now.entrySet()) {
            String key = e.getKey();
            if (MAY_DIFFER.contains(key) || store.resumeMayDiffer(key)) {
                continue;
            }
            JsonNode a = JSON.valueToTree(saved.get(key));
            JsonNode b = JSON.valueToTree(e.getValue());
            if (!equalValues(a, b)) {
                throw new IncompatibleCheckpointException(
                        where + " was made with " + key + " " + text(a) + ", this run has " + text(b));
            }
        }
    }

    private static boolean equalValues(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.doubleValue() == b.doubleValue();
        }
        return Objects.equals(a, b);
    }

    /** A value for a message: at most {@link #SHOWN} characters (a layer's whole JSON would be kilobytes). */
    private static String text(JsonNode n) {
        String t = n == null || n.isNull() ? "none" : n.isTextual() ? n.asText() : n.toString();
        return t.length() <= SHOWN ? t : t.substring(0, SHOWN - 1) + "…";
    }

    private static final int SHOWN = 120;

    /** The path of the first difference between two JSON trees and both values there, or null when equal. */
    private static String firstDifference(String path, JsonNode a, JsonNode b) {
        if (a.isObject() && b.isObject()) {
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                String d = firstDifference(path + "." + f, a.get(f), b.has(f) ? b.get(f) : null);
                if (d != null) {
                    return d;
                }
            }
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!a.has(f)) {
                    return path + "." + f + " is absent there, " + text(b.get(f)) + " here";
                }
            }
            return null;
        }
        if (b != null && a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                String d = firstDifference(path + "[" + i + "]", a.get(i), b.get(i));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (b == null) {
            return path.substring(1) + " is " + text(a) + " there, absent here";
        }
        return equalValues(a, b) ? null : path.substring(1) + " is " + text(a) + " there, " + text(b) + " here";
    }
}
