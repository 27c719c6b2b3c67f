package org.dl4jasync.checkpoint;

import java.util.List;
import java.util.Map;

/**
 * Reading a checkpoint's JSON state back: numbers may come as any {@link Number} (or, for non-finite doubles, as the
 * strings Jackson writes for them); a missing or mistyped key is an {@link IllegalArgumentException} naming it.
 */
public final class StateValues {
    private StateValues() {}

    public static long getLong(Map<String, Object> m, String key) {
        return number(m, key).longValue();
    }

    public static int getInt(Map<String, Object> m, String key) {
        return number(m, key).intValue();
    }

    public static double getDouble(Map<String, Object> m, String key) {
        return number(m, key).doubleValue();
    }

    public static boolean getBoolean(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v instanceof Boolean) {
            return (Boolean) v;
        }
        throw bad(key, v);
    }

    /** A nested object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> getMap(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v instanceof Map) {
            return (Map<String, Object>) v;
        }
        throw bad(key, v);
    }

    /** A JSON object held in a JSON value (a list element). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> asMap(Object v) {
        if (v instanceof Map) {
            return (Map<String, Object>) v;
        }
        throw bad("object", v);
    }

    @SuppressWarnings("unchecked")
    public static List<Object> getList(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v instanceof List) {
            return (List<Object>) v;
        }
        throw bad(key, v);
    }

    /** A number held in a JSON value (a list element). */
    public static double asDouble(Object v) {
        if (v instanceof Number) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof String) {
            return Double.parseDouble((String) v); // "NaN", "Infinity", "-Infinity"
        }
        throw bad("value", v);
    }

    /** A list of numbers, e.g. a trace point [seconds, steps, value]. */
    public static double[] asDoubles(Object v) {
        if (!(v instanceof List)) {
            throw bad("list", v);
        }
        List<?> l = (List<?>) v;
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = asDouble(l.get(i));
        }
        return out;
    }

    private static Number number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v instanceof Number) {
            return (Number) v;
        }
        if (v instanceof String) {
            return Double.valueOf((String) v);
        }
        throw bad(key, v);
    }

    private static IllegalArgumentException bad(String key, Object v) {
        return new IllegalArgumentException("checkpoint state: " + key + " is " + (v == null ? "missing" : v));
    }
}
