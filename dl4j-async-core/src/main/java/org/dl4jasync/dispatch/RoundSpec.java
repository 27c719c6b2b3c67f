package org.dl4jasync.dispatch;

import static org.dl4jasync.spec.Checks.atLeast;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.DoubleSupplier;
import java.util.function.IntFunction;
import org.dl4jasync.metrics.LossMonitor;
import org.dl4jasync.spec.InvalidOptionException;

/**
 * The round-based algorithms (K-async, ABS): the engine's rounds dispatch, under a round policy (the one the
 * options describe, or the library user's {@code custom} one, created per run from the worker count).
 */
public sealed interface RoundSpec extends DispatchSpec {
    /** The library user's round policy; null: the built-in one. */
    IntFunction<RoundPolicy> custom();

    /** The round policy the options describe, for {@code m} workers. */
    RoundPolicy builtIn(int m);

    @Override
    default Dispatcher dispatcher(int m, LossMonitor monitor, LossMonitor search, DoubleSupplier clock) {
        return null;
    }

    @Override
    default RoundPolicy roundPolicy(int m) {
        return custom() != null ? custom().apply(m) : builtIn(m);
    }

    /**
     * K-async SGD: rounds of K submissions averaged into one update; AdaSync's K_t from K0 = K when {@code adaptive}.
     *
     * @param k          K; empty: ⌈m/4⌉; {@link #ALL}: every worker
     * @param localSteps H ≥ 1 local SGD steps a worker takes on its own copy before it submits their sum
     * @param custom     a round policy of the library user's, created per run (null: the one K describes)
     */
    record KAsync(OptionalInt k, boolean adaptive, int localSteps, IntFunction<RoundPolicy> custom)
            implements RoundSpec {
        /** K = the number of workers (with local steps: synchronous local SGD). */
        public static final int ALL = Integer.MAX_VALUE;

        public KAsync {
            Objects.requireNonNull(k, "k");
            k.ifPresent(v -> atLeast("kasync_k", v, 1, "an integer in [1, {workers}] or 'all'"));
            atLeast("local_steps", localSteps, 1, "an integer >= 1");
        }

        public KAsync(OptionalInt k, boolean adaptive, int localSteps) {
            this(k, adaptive, localSteps, null);
        }

        public static KAsync of(int k) {
            return new KAsync(OptionalInt.of(k), false, 1);
        }

        /** K for {@code m} workers. */
        public int k(int m) {
            int given = k.orElse(DispatchSpec.defaultK(m));
            return given == ALL ? m : given;
        }

        @Override
        public void check(int m) {
            if (k.isPresent() && k.getAsInt() != ALL && k.getAsInt() > m) {
                throw new InvalidOptionException(
                        "kasync_k", k.getAsInt(), "an integer in [1, {workers} (" + m + ")] or 'all'");
            }
        }

        @Override
        public String key() {
            return "kasync";
        }

        @Override
        public RoundPolicy builtIn(int m) {
            return adaptive ? KAsyncPolicy.adaptive(k(m), m) : KAsyncPolicy.fixed(k(m), m);
        }

        @Override
        public void provenance(Map<String, Object> c, int m) {
            c.put("kasync_k", k(m));
            c.put("round_policy", custom == null ? null : "custom");
            c.put("kasync_adaptive", adaptive);
        }

        @Override
        public String describe(int m) {
            return "kasync(K " + (adaptive ? "adaptive from " : "") + k(m) + ")";
        }
    }

    /**
     * ABS: K-async with AdaSync's K_t and forced restarts of workers more than S_t = max(1, ⌊c/K_t⌋) rounds behind.
     *
     * @param k0         AdaSync's K0; empty: ⌈m/4⌉
     * @param c          c of the threshold, &gt; 0 or +∞ for none; empty: the worker count
     * @param localSteps H ≥ 1 local SGD steps per submission
     * @param custom     a round policy of the library user's, created per run (null: the one K0 and c describe)
     */
    record Abs(OptionalInt k0, OptionalDouble c, int localSteps, IntFunction<RoundPolicy> custom) implements RoundSpec {
        public Abs {
            Objects.requireNonNull(k0, "k0");
            Objects.requireNonNull(c, "c");
            k0.ifPresent(v -> atLeast("abs_k0", v, 1, "an integer in [1, {workers}]"));
            if (c.isPresent() && !(c.getAsDouble() > 0)) {
                throw new InvalidOptionException("abs_c", c.getAsDouble(), "a positive number or 'inf'");
            }
            atLeast("local_steps", localSteps, 1, "an integer >= 1");
        }

        public Abs(OptionalInt k0, OptionalDouble c, int localSteps) {
            this(k0, c, localSteps, null);
        }

        @Override
        public void check(int m) {
            if (k0.isPresent() && k0.getAsInt() > m) {
                throw new InvalidOptionException("abs_k0", k0.getAsInt(), "an integer in [1, {workers} (" + m + ")]");
            }
        }

        @Override
        public String key() {
            return "abs";
        }

        @Override
        public RoundPolicy builtIn(int m) {
            return new AbsPolicy.Builder(m)
                    .k0(k0.orElse(DispatchSpec.defaultK(m)))
                    .c(c.orElse(m))
                    .build();
        }

        @Override
        public void provenance(Map<String, Object> map, int m) {
            map.put("round_policy", custom == null ? null : "custom");
            map.put("abs_k0", k0.orElse(DispatchSpec.defaultK(m)));
            double cv = c.orElse(m);
            map.put("abs_c", Double.isInfinite(cv) ? "inf" : (Object) cv);
        }

        @Override
        public String describe(int m) {
            Map<String, Object> p = new LinkedHashMap<>();
            provenance(p, m);
            return "abs(K0 " + p.get("abs_k0") + ", c " + p.get("abs_c") + ")";
        }
    }
}
