package org.dl4jasync.bench.compare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Reads a suite file: YAML (comments with {@code #}) or JSON, one parser for both. The layout:
 *
 * <pre>
 * name: fashion-quick
 * command: train               # or simulate
 * seeds: [1, 2, 3]
 * time_limit: 60               # seconds per run (optional)
 * targets: [0.70, 0.75]        # test accuracies (optional)
 * loss_targets: [0.5, 0.15]    # fractions of the initial training loss (optional; see {@link Target})
 * baseline: netfit             # the configuration(s) the others are compared with: a name or a list (optional);
 *                              # a matrix's name (async for async[workers=2], …) pairs each configuration with the
 *                              # baseline configuration of the same axes (x[workers=2] with async[workers=2])
 * defaults:                    # options of every run: the command's option names without "--"
 *   model: lenet
 *   eval-every: 250
 * configurations:              # name: options (merged over the defaults; null removes a default)
 *   netfit: {algorithm: netfit}
 *   async:  {algorithm: async, workers: 2}
 *   interval:
 *     algorithm: interval
 *     interval-y: [16, 64]     # a list is a matrix axis: interval[interval-y=16], interval[interval-y=64]
 * </pre>
 *
 * An option whose value is {@code true} is a flag ({@code --augment}), {@code false} leaves it out. The options
 * compare sets itself ({@code seed}, {@code json}, {@code csv}, {@code quiet}, the time limits) are refused. Every
 * run's arguments are checked by the command's own parser ({@link Checker}) before anything runs; any problem is a
 * {@link SuiteException} naming the file, the entry and what is allowed.
 */
public final class SuiteFile {
    /** Checks one run's arguments as the command would; throws IllegalArgumentException with its one-line message. */
    @FunctionalInterface
    public interface Checker {
        void check(String command, List<String> args);
    }

    private static final Set<String> KEYS = Set.of(
            "name",
            "command",
            "seeds",
            "time_limit",
            "targets",
            "loss_targets",
            "baseline",
            "defaults",
            "configurations");
    private static final Set<String> SET_BY_COMPARE =
            Set.of("seed", "json", "csv", "quiet", "time-limit", "virtual-time-limit");

    private SuiteFile() {}

    public static Suite read(Path file, Checker checker) throws SuiteException, IOException {
        String text = Files.readString(file);
        JsonNode root;
        try {
            // a key given twice (two configurations of one name) is an error, not the last one silently kept
            root = new ObjectMapper(YAMLFactory.builder()
                            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                            .build())
                    .readTree(text);
        } catch (JsonProcessingException e) {
            throw new SuiteException(file + ": not valid YAML or JSON: " + oneLine(e.getOriginalMessage())
                    + (e.getLocation() == null
                            ? ""
                            : " (line " + e.getLocation().getLineNr() + ")"));
        }
        return parse(file.toString(), root, checker);
    }

    /**
     * A parser's message in one line: SnakeYAML's span several, with the offending line quoted and a caret under it
     * (the line number is given separately).
     */
    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        List<String> kept = new ArrayList<>();
        for (String line : message.split("\\R")) {
            String t = line.strip();
            boolean snippet = line.startsWith("    ") || t.equals("^") || t.isEmpty();
            if (!snippet && !t.startsWith("in 'reader'") && !t.startsWith("in 'string'")) {
                kept.add(t);
            }
        }
        return kept.isEmpty() ? message.strip().replaceAll("\\s+", " ") : String.join(": ", kept);
    }

    static Suite parse(String file, JsonNode root, Checker checker) throws SuiteException {
        if (root == null || !root.isObject()) {
            throw new SuiteException(file + ": expected a mapping with " + String.join(", ", KEYS));
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new SuiteException(file + ": unknown entry '" + k + "'; allowed: name, command, seeds, "
                        + "time_limit, targets, loss_targets, baseline, defaults, configurations");
            }
        }
        String name = text(file, root, "name", fileName(file));
        String command = text(file, root, "command", "train");
        if (!command.equals("train") && !command.equals("simulate")) {
            throw new SuiteException(file + ": command: '" + command + "' is not allowed; expected train or simulate");
        }
        List<Long> seeds = new ArrayList<>();
        JsonNode s = root.get("seeds");
        if (s == null || !s.isArray() || s.isEmpty()) {
            throw new SuiteException(file + ": seeds: expected a non-empty list of integers, e.g. [1, 2, 3]");
        }
        for (JsonNode n : s) {
            if (!n.isIntegralNumber()) {
                throw new SuiteException(file + ": seeds: '" + n.asText() + "' is not an integer");
            }
            if (seeds.contains(n.asLong())) {
                throw new SuiteException(file + ": seeds: " + n.asLong() + " is listed twice");
            }
            seeds.add(n.asLong());
        }
        OptionalDouble timeLimit = OptionalDouble.empty();
        JsonNode t = root.get("time_limit");
        if (t != null && !t.isNull()) {
            if (!t.isNumber() || !(t.asDouble() > 0)) {
                throw new SuiteException(
                        file + ": time_limit: '" + t.asText() + "' is not allowed; expected seconds " + "> 0");
            }
            timeLimit = OptionalDouble.of(t.asDouble());
        }
        List<Target> targets = new ArrayList<>();
        levels(file, root, "targets", "an accuracy in (0, 1]", 1, false, targets);
        levels(
                file,
                root,
                "loss_targets",
                "a fraction of the initial loss in (0, 1)",
                Math.nextDown(1.0),
                true,
                targets);
        Map<String, JsonNode> defaults = options(file, "defaults", root.get("defaults"));
        JsonNode cs = root.get("configurations");
        if (cs == null || !cs.isObject() || cs.isEmpty()) {
            throw new SuiteException(file + ": configurations: expected a mapping of names to options, e.g. "
                    + "{async: {algorithm: async}}");
        }
        List<Suite.Configuration> configurations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = cs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String entry = "configurations." + e.getKey();
            Map<String, JsonNode> merged = new LinkedHashMap<>(defaults);
            JsonNode own = e.getValue() == null || e.getValue().isNull() ? null : e.getValue();
            merged.putAll(options(file, entry, own));
            merged.values().removeIf(v -> v == null || v.isNull());
            for (Suite.Configuration c : expand(e.getKey(), merged)) {
                try {
                    checker.check(command, c.args());
                } catch (IllegalArgumentException ex) {
                    throw new SuiteException(file + ": " + entry + ": " + ex.getMessage());
                }
                if (configurations.stream().anyMatch(x -> x.name().equals(c.name()))) {
                    throw new SuiteException(file + ": " + entry + ": the name '" + c.name() + "' is used twice");
                }
                configurations.add(c);
            }
        }
        List<String> baselines = new ArrayList<>();
        JsonNode b = root.path("baseline");
        for (JsonNode n : b.isArray() ? b : List.of(b)) {
            if (n.isMissingNode() || n.isNull()) {
                continue;
            }
            String baseline = n.asText();
            if (configurations.stream()
                    .noneMatch(c ->
                            c.name().equals(baseline) || Suite.base(c.name()).equals(baseline))) {
                throw new SuiteException(file + ": baseline: '" + baseline + "' is not a configuration; expected one "
                        + "of "
                        + String.join(
                                ", ",
                                configurations.stream()
                                        .map(Suite.Configuration::name)
                                        .toList())
                        + " or the name of a matrix ("
                        + String.join(
                                ", ",
                                configurations.stream()
                                        .map(c -> Suite.base(c.name()))
                                        .distinct()
                                        .toList()) + ")");
            }
            baselines.add(baseline);
        }
        return new Suite(name, command, seeds, timeLimit, targets, baselines, configurations);
    }

    private static String fileName(String file) {
        String n = Path.of(file).getFileName().toString();
        int dot = n.indexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static String text(String file, JsonNode root, String key, String fallback) throws SuiteException {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isTextual()) {
            throw new SuiteException(file + ": " + key + ": expected text, got '" + n + "'");
        }
        return n.asText();
    }

    private static Map<String, JsonNode> options(String file, String entry, JsonNode node) throws SuiteException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new SuiteException(file + ": " + entry + ": expected a mapping of option names to values, e.g. "
                    + "{algorithm: async, workers: 2}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey().startsWith("--") ? e.getKey().substring(2) : e.getKey();
            if (SET_BY_COMPARE.contains(key)) {
                throw new SuiteException(file + ": " + entry + ": '" + key + "' is set by compare (seeds, time_limit "
                        + "and the report files are the suite's); remove it");
            }
            JsonNode v = e.getValue();
            if (v.isObject() || (v.isArray() && v.isEmpty())) {
                throw new SuiteException(
                        file + ": " + entry + "." + key + ": expected a value or a non-empty list " + "of values");
            }
            out.put(key, v);
        }
        return out;
    }

    /** The product of the list-valued options; names get "[key=value, …]" for each list axis. */
    static List<Suite.Configuration> expand(String name, Map<String, JsonNode> options) {
        List<Suite.Configuration> out = new ArrayList<>();
        expand(name, new ArrayList<>(options.entrySet()), 0, new ArrayList<>(), new ArrayList<>(), out);
        return out;
    }

    private static void expand(
            String name,
            List<Map.Entry<String, JsonNode>> options,
            int i,
            List<String> args,
            List<String> axes,
            List<Suite.Configuration> out) {
        if (i == options.size()) {
            out.add(new Suite.Configuration(
                    axes.isEmpty() ? name : name + "[" + String.join(", ", axes) + "]", List.copyOf(args)));
            return;
        }
        String key = options.get(i).getKey();
        JsonNode v = options.get(i).getValue();
        if (v.isArray()) {
            for (JsonNode one : v) {
                List<String> a = new ArrayList<>(args);
                addArg(a, key, one);
                List<String> ax = new ArrayList<>(axes);
                ax.add(key + "=" + one.asText());
                expand(name, options, i + 1, a, ax, out);
            }
        } else {
            List<String> a = new ArrayList<>(args);
            addArg(a, key, v);
            expand(name, options, i + 1, a, axes, out);
        }
    }

    private static void addArg(List<String> args, String key, JsonNode v) {
        if (v.isBoolean()) {
            if (v.asBoolean()) {
                args.add("--" + key);
            }
            return;
        }
        args.add("--" + key);
        args.add(v.asText());
    }

    /** Reads the list {@code key} of levels in (0, max] into {@code out}. */
    private static void levels(
            String file, JsonNode root, String key, String what, double max, boolean loss, List<Target> out)
            throws SuiteException {
        JsonNode tg = root.get(key);
        if (tg == null || tg.isNull()) {
            return;
        }
        if (!tg.isArray()) {
            throw new SuiteException(file + ": " + key + ": expected a list, each " + what);
        }
        for (JsonNode n : tg) {
            if (!n.isNumber() || !(n.asDouble() > 0 && n.asDouble() <= max)) {
                throw new SuiteException(file + ": " + key + ": '" + n.asText() + "' is not " + what);
            }
            out.add(new Target(loss, n.asDouble()));
        }
    }
}
