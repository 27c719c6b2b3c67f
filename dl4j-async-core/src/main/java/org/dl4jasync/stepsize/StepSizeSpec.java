package org.dl4jasync.stepsize;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.DoubleSupplier;
import org.dl4jasync.spec.InvalidOptionException;

/**
 * The staleness-adaptive step size of a run: one record per rule, holding exactly that rule's options, each checked
 * when the record is built ({@link InvalidOptionException} naming the report key). {@link #create} makes the run's
 * policy afresh (the distribution-based ones keep state); {@link #provenance} writes the report keys of every rule,
 * with this rule's values and the others' defaults, as the report had them before the options were typed.
 */
public sealed interface StepSizeSpec {
    /** The report's {@code step_size}. */
    String key();

    /** Whether the factor can differ from 1 (every rule but {@link Constant}). */
    default boolean adaptive() {
        return true;
    }

    /**
     * One run's policy for {@code m} workers.
     *
     * @param modelEta the model's base learning rate, read only by MindTheStep without its own η (may throw when the
     *                 model has none, with a message saying so)
     */
    StepSizePolicy create(int m, DoubleSupplier modelEta);

    /** Whether {@link #create} reads {@code modelEta}. */
    default boolean needsModelLearningRate() {
        return false;
    }

    /** This rule's keys over the defaults {@link #provenance(StepSizeSpec, Map)} wrote. */
    default void provenance(Map<String, Object> c) {}

    /** The report keys of every rule, in their order, with the values of {@code spec}. */
    static void provenance(StepSizeSpec spec, Map<String, Object> c) {
        c.put("step_size", spec.key());
        c.put("tail_amplitude", 1.0);
        c.put("tail_phi", "identity");
        Window.DEFAULT.provenance(c);
        c.put("mts_momentum", null);
        c.put("mts_eta", null);
        c.put("mts_form", "printed");
        c.put("mts_lambda", "workers");
        c.put("normalize", false);
        spec.provenance(c);
    }

    /** A short text for a human ("" for the constant step size). */
    default String describe() {
        return key();
    }

    /**
     * The estimate of the staleness distribution the distribution-based rules read ({@link StalenessWindow});
     * empty components take its defaults (warm-up 15·m, window max(1000, 10·m), refresh every window/10).
     */
    record Window(OptionalLong warmup, OptionalInt size, OptionalLong refresh, boolean frozen) {
        public static final Window DEFAULT =
                new Window(OptionalLong.empty(), OptionalInt.empty(), OptionalLong.empty(), false);

        public Window {
            Objects.requireNonNull(warmup, "warmup");
            Objects.requireNonNull(size, "size");
            Objects.requireNonNull(refresh, "refresh");
            if (warmup.isPresent() && warmup.getAsLong() < 1) {
                throw new InvalidOptionException("tail_warmup", warmup.getAsLong(), "an integer >= 1");
            }
            if (size.isPresent() && size.getAsInt() < 1) {
                throw new InvalidOptionException("tail_window", size.getAsInt(), "an integer >= 1");
            }
            if (refresh.isPresent() && refresh.getAsLong() < 1) {
                throw new InvalidOptionException("tail_refresh", refresh.getAsLong(), "'frozen' or an integer >= 1");
            }
            if (frozen && refresh.isPresent()) {
                throw new InvalidOptionException(
                        "tail_refresh", refresh.getAsLong(), "no count with a frozen estimate");
            }
        }

        <B extends AdaptiveStepSize.Builder<B>> B applyTo(B b) {
            warmup.ifPresent(b::warmup);
            size.ifPresent(b::window);
            if (frozen) {
                b.frozen();
            } else {
                refresh.ifPresent(b::refreshEvery);
            }
            return b;
        }

        void provenance(Map<String, Object> c) {
            c.put("tail_warmup", warmup.isPresent() ? warmup.getAsLong() : null);
            c.put("tail_refresh", frozen ? "frozen" : refresh.isPresent() ? (Object) refresh.getAsLong() : null);
            c.put("tail_window", size.isPresent() ? size.getAsInt() : null);
        }

        /** Refuses a window for a rule that reads none (the key of its first given component). */
        public void refuseUnless(boolean read, String rule) {
            if (!read && !equals(DEFAULT)) {
                String key = warmup.isPresent() ? "tail_warmup" : size.isPresent() ? "tail_window" : "tail_refresh";
                Object value = warmup.isPresent()
                        ? warmup.getAsLong()
                        : size.isPresent() ? size.getAsInt() : frozen ? "frozen" : refresh.getAsLong();
                throw new InvalidOptionException(
                        key, value, "no value unless the step size reads a staleness distribution (" + rule + ")");
            }
        }
    }

    /** Factor 1 for every update. */
    record Constant() implements StepSizeSpec {
        @Override
        public String key() {
            return "constant";
        }

        @Override
        public boolean adaptive() {
            return false;
        }

        @Override
        public StepSizePolicy create(int m, DoubleSupplier modelEta) {
            return ConstantStepSize.INSTANCE;
        }

        @Override
        public String describe() {
            return "";
        }
    }

    /** 1/(τ+1); scaled to mean 1 over the observed staleness when {@code normalize} (then {@code window} applies). */
    record Inverse(boolean normalize, Window window) implements Normalizable {
        public Inverse {
            Objects.requireNonNull(window, "window").refuseUnless(normalize, "inverse with normalize");
        }

        public Inverse() {
            this(false, Window.DEFAULT);
        }

        @Override
        public String key() {
            return "inverse";
        }

        @Override
        public StepSizePolicy create(int m, DoubleSupplier modelEta) {
            return normalized(InverseStepSize.INSTANCE, m);
        }
    }

    /** FLeet's exp(−βτ); scaled to mean 1 when {@code normalize} (then {@code window} applies). */
    record Fleet(boolean normalize, Window window) implements Normalizable {
        public Fleet {
            Objects.requireNonNull(window, "window").refuseUnless(normalize, "fleet with normalize");
        }

        public Fleet() {
            this(false, Window.DEFAULT);
        }

        @Override
        public String key() {
            return "fleet";
        }

        @Override
        public StepSizePolicy create(int m, DoubleSupplier modelEta) {
            return normalized(new FleetStepSize(m), m);
        }
    }

    /** A fixed rule that may be scaled to mean 1 over the observed staleness (then its window applies). */
    sealed interface Normalizable extends StepSizeSpec {
        boolean normalize();

        Window window();

        /** The rule scaled to mean 1 when normalized. */
        default StepSizePolicy normalized(StepSizePolicy rule, int m) {
            return normalize()
                    ? window().applyTo(new NormalizedStepSize.Builder(rule, m)).build()
                    : rule;
        }

        @Override
        default void provenance(Map<String, Object> c) {
            window().provenance(c);
            c.put("normalize", normalize());
        }

        @Override
        default String describe() {
            return key() + (normalize() ? " (normalised)" : "");
        }
    }

    /** TAIL-τ ({@link TailStepSize}): factors span [1 − A, 1 + A], mean-preserving by construction. */
    record Tail(double amplitude, Phi phi, Window window) implements StepSizeSpec {
        public Tail {
            if (!(amplitude >= 0 && amplitude <= 1)) {
                throw new InvalidOptionException("tail_amplitude", amplitude, "a number in [0, 1]");
            }
            Objects.requireNonNull(phi, "phi");
            Objects.requireNonNull(window, "window");
        }

        /** A = 1, φ = identity, the default window. */
        public Tail() {
            this(1.0, Phi.IDENTITY, Window.DEFAULT);
        }

        @Override
        public String key() {
            return "tail";
        }

        @Override
        public StepSizePolicy create(int m, DoubleSupplier modelEta) {
            return window.applyTo(
                            new TailStepSize.Builder(m).amplitude(amplitude).phi(phi))
                    .build();
        }

        @Override
        public void provenance(Map<String, Object> c) {
            c.put("tail_amplitude", amplitude);
            c.put("tail_phi", phi.toString());
            window.provenance(c);
        }
    }

    /**
     * MindTheStep ({@link MindTheStepSize}): c(τ) from a Poisson staleness model, normalised by construction.
     *
     * @param momentum K of c(τ) (empty: 1, the thesis's evaluation)
     * @param eta      η of c(τ) (empty: the model's learning rate)
     * @param lambda   λ as given; empty: the worker count, or the warm-up's mean staleness when {@code measured}
     */
    record MindTheStep(
            OptionalDouble momentum,
            OptionalDouble eta,
            MindTheStepSize.Form form,
            boolean measured,
            OptionalDouble lambda,
            Window window)
            implements StepSizeSpec {
        public MindTheStep {
            Objects.requireNonNull(momentum, "momentum");
            Objects.requireNonNull(eta, "eta");
            Objects.requireNonNull(form, "form");
            Objects.requireNonNull(lambda, "lambda");
            Objects.requireNonNull(window, "window");
            if (momentum.isPresent() && !(momentum.getAsDouble() >= 0 && Double.isFinite(momentum.getAsDouble()))) {
                throw new InvalidOptionException("mts_momentum", momentum.getAsDouble(), "a number >= 0");
            }
            if (eta.isPresent() && !(eta.getAsDouble() > 0 && Double.isFinite(eta.getAsDouble()))) {
                throw new InvalidOptionException(
                        "mts_eta", eta.getAsDouble(), "a positive number (the base learning rate)");
            }
            if (lambda.isPresent() && !(lambda.getAsDouble() > 0 && Double.isFinite(lambda.getAsDouble()))) {
                throw new InvalidOptionException(
                        "mts_lambda", lambda.getAsDouble(), "a positive number, 'workers' or 'measured'");
            }
            if (measured && lambda.isPresent()) {
                throw new IllegalArgumentException("MindTheStep's λ is either measured or given, not both");
            }
        }

        /** The printed form, λ = m, η from the model. */
        public MindTheStep() {
            this(
                    OptionalDouble.empty(),
                    OptionalDouble.empty(),
                    MindTheStepSize.Form.PRINTED,
                    false,
                    OptionalDouble.empty(),
                    Window.DEFAULT);
        }

        @Override
        public String key() {
            return "mindthestep";
        }

        @Override
        public boolean needsModelLearningRate() {
            return eta.isEmpty();
        }

        @Override
        public StepSizePolicy create(int m, DoubleSupplier modelEta) {
            MindTheStepSize.Builder b = new MindTheStepSize.Builder(
                            m, eta.isPresent() ? eta.getAsDouble() : modelEta.getAsDouble())
                    .form(form);
            momentum.ifPresent(b::momentum);
            if (measured) {
                b.measuredLambda();
            }
            lambda.ifPresent(b::lambda);
            return window.applyTo(b).build();
        }

        @Override
        public void provenance(Map<String, Object> c) {
            window.provenance(c);
            c.put("mts_momentum", momentum.isPresent() ? momentum.getAsDouble() : null);
            c.put("mts_eta", eta.isPresent() ? eta.getAsDouble() : null);
            c.put("mts_form", form.name().toLowerCase(Locale.ROOT));
            c.put("mts_lambda", lambda.isPresent() ? (Object) lambda.getAsDouble() : measured ? "measured" : "workers");
        }
    }

    /**
     * A policy of the library user's, reported as {@code custom:<name>}. It keeps state (the observed staleness
     * distribution): give each trainer its own instance.
     */
    record Custom(StepSizePolicy policy) implements StepSizeSpec {
        public Custom {
            Objects.requireNonNull(policy, "stepSize");
        }

        @Override
        public String key() {
            return "custom:" + policy.name();
        }

        @Override
        public StepSizePolicy create(int m, DoubleSupplier modelEta) {
            return policy;
        }

        @Override
        public String describe() {
            return policy.name();
        }
    }
}
