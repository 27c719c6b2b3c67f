package org.dl4jasync.checkpoint;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;

/**
 * The one mapping between the components' state records and a checkpoint's JSON values: a record's components are
 * its keys in snake case ({@code phaseStart} → {@code phase_start}), its values JSON values (NaN and ±∞ written
 * as the strings {@code "NaN"}, {@code "Infinity"} by the checkpoint file, read back as doubles). A key the record
 * does not have is refused (a hand-edited or foreign state fails in one line), and so is a primitive component the
 * state lacks or holds as null; a boxed component (or an array, list or nested state) the state lacks reads as null:
 * what the component's restore treats as "absent in older checkpoints".
 */
public final class CheckpointStates {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();
    private static final TypeReference<Map<String, Object>> TREE = new TypeReference<>() {};

    private CheckpointStates() {}

    /** {@code state} as JSON values (null: null). */
    public static Map<String, Object> tree(Record state) {
        return state == null ? null : JSON.convertValue(state, TREE);
    }

    /** The record of {@code type} that {@code tree} holds (null: null). */
    public static <S extends Record> S read(Map<String, Object> tree, Class<S> type) {
        if (tree == null) {
            return null;
        }
        try {
            return JSON.convertValue(tree, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + " state: " + rootMessage(e), e);
        }
    }

    /** The state of {@code component} as JSON values: null when it is not {@link Checkpointable} or keeps none. */
    public static Map<String, Object> of(Object component) {
        return component instanceof Checkpointable<?> c ? tree(c.checkpointState()) : null;
    }

    /** {@code component} takes back the state {@code tree} holds (nothing when either is absent). */
    public static void restore(Object component, Map<String, Object> tree) {
        if (component instanceof Checkpointable<?> c && tree != null) {
            restoreTyped(c, tree);
        }
    }

    private static <S extends Record> void restoreTyped(Checkpointable<S> c, Map<String, Object> tree) {
        c.restoreState(read(tree, c.stateType()));
    }

    /** The innermost cause's first line, with the key path where Jackson gives one ({@code at probe.rates[2]}). */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        JsonMappingException mapping = null;
        while (t != null) {
            if (t instanceof JsonMappingException j) {
                mapping = j;
            }
            if (t.getCause() == null || t.getCause() == t) {
                break;
            }
            t = t.getCause();
        }
        String m = mapping != null ? mapping.getOriginalMessage() : t.getMessage();
        int cut = m == null ? -1 : m.indexOf('\n');
        String first = cut < 0 ? String.valueOf(m) : m.substring(0, cut);
        if (mapping == null || mapping.getPath().isEmpty()) {
            return first;
        }
        StringBuilder at = new StringBuilder();
        for (JsonMappingException.Reference r : mapping.getPath()) {
            if (r.getFieldName() != null) {
                at.append(at.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                at.append('[').append(r.getIndex()).append(']');
            }
        }
        return first + " (at " + at + ")";
    }
}
