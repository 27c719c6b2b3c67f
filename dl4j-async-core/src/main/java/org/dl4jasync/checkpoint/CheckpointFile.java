package org.dl4jasync.checkpoint;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One checkpoint file: a zip that DL4J's {@link ModelSerializer} loads as the network with its updater state
 * (entries {@code configuration.json}, {@code coefficients.bin}, {@code updaterState.bin}: the training's optimizer
 * state as the network's updater holds it after {@code fit} — the workers' mean or the shared state), plus the
 * trainer's entries under {@code dl4j-async/}: every worker's updater state and the trainer's state as JSON, written
 * last. Written atomically ({@link #write}: a temporary file in the same directory, fsync, rename, fsync of the
 * directory), so a file with the final name is complete unless the disk corrupted it; {@link #read} checks every
 * entry's CRC and that every entry is there.
 */
public final class CheckpointFile {
    static final String PREFIX = "dl4j-async/";
    static final String STATE = PREFIX + "state.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointFile() {}

    /** What a checkpoint holds. */
    public static final class Contents {
        /** DL4J's JSON of the network's configuration (with its iteration and epoch counts). */
        public final String modelConfiguration;

        public final INDArray params;
        /** Each worker's DL4J updater state (null entries: a stateless updater, or a shared state). */
        public final INDArray[] updaterStates;
        /**
         * The model's DL4J updater state (ModelSerializer's entry): what the network's updater holds after
         * {@code fit}, the workers' mean or the shared state; null for a stateless updater.
         */
        public final INDArray modelUpdaterState;
        /** The trainer's state: plain JSON values. */
        public final Map<String, Object> state;

        public Contents(
                String modelConfiguration,
                INDArray params,
                INDArray[] updaterStates,
                INDArray modelUpdaterState,
                Map<String, Object> state) {
            this.modelConfiguration = modelConfiguration;
            this.params = params;
            this.updaterStates = updaterStates;
            this.modelUpdaterState = modelUpdaterState;
            this.state = state;
        }
    }

    private static String updaterEntry(int worker) {
        return PREFIX + "updater-" + worker + ".bin";
    }

    /** Writes {@code c} to {@code file} atomically (see the class comment); {@code file}'s directory must exist. */
    public static void write(Path file, Contents c) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try {
            writeTemporary(tmp, c);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp); // a failed write (disk full, I/O error) leaves nothing behind
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // the rename itself is durable
        }
    }

    private static void writeTemporary(Path tmp, Contents c) throws IOException {
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
            ZipOutputStream zip = new ZipOutputStream(out);
            entry(zip, ModelSerializer.CONFIGURATION_JSON, c.modelConfiguration.getBytes(StandardCharsets.UTF_8));
            entry(zip, ModelSerializer.COEFFICIENTS_BIN, array(c.params));
            if (c.modelUpdaterState != null) {
                entry(zip, ModelSerializer.UPDATER_BIN, array(c.modelUpdaterState));
            }
            for (int w = 0; w < c.updaterStates.length; w++) {
                if (c.updaterStates[w] != null) {
                    entry(zip, updaterEntry(w), array(c.updaterStates[w]));
                }
            }
            entry(zip, STATE, JSON.writeValueAsBytes(c.state)); // last: its presence says the rest was written
            zip.finish();
            out.flush();
            ch.force(true);
        }
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static byte[] array(INDArray a) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream dos = new DataOutputStream(bytes)) {
            Nd4j.write(a, dos);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a checkpoint written by {@link #write}; {@code workers} updater entries are looked for.
     *
     * @throws IOException when the file is not a complete, intact checkpoint (the message says why)
     */
    public static Contents read(Path file) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (InputStream in = Files.newInputStream(file);
                ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), zip.readAllBytes()); // ZipInputStream checks each entry's CRC
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException("not a readable zip (" + e.getMessage() + ")", e);
        }
        byte[] state = entries.get(STATE);
        byte[] conf = entries.get(ModelSerializer.CONFIGURATION_JSON);
        byte[] params = entries.get(ModelSerializer.COEFFICIENTS_BIN);
        if (state == null || conf == null || params == null) {
            throw new IOException("incomplete: "
                    + (state == null
                            ? STATE
                            : conf == null ? ModelSerializer.CONFIGURATION_JSON : ModelSerializer.COEFFICIENTS_BIN)
                    + " is missing");
        }
        Map<String, Object> s;
        try {
            s = JSON.readValue(state, new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            throw new IOException("its trainer state is not valid JSON (" + e.getMessage() + ")", e);
        }
        int workers = ((Number) s.getOrDefault("workers", 0)).intValue();
        INDArray[] updaters = new INDArray[workers];
        for (int w = 0; w < workers; w++) {
            byte[] u = entries.get(updaterEntry(w));
            updaters[w] = u == null ? null : readArray(u);
        }
        byte[] model = entries.get(ModelSerializer.UPDATER_BIN);
        return new Contents(
                new String(conf, StandardCharsets.UTF_8),
                readArray(params),
                updaters,
                model == null ? null : readArray(model),
                s);
    }

    private static INDArray readArray(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return Nd4j.read(in);
        } catch (RuntimeException e) {
            throw new IOException("an array entry is unreadable (" + e.getMessage() + ")", e);
        }
    }
}
