package org.dl4jasync.simulation;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Parses step-time specifications:
 * <ul>
 * <li>{@code constant:T}</li>
 * <li>{@code uniform:A,B}</li>
 * <li>{@code exp:MEAN} (exponential)</li>
 * <li>{@code shifted-exp:SHIFT,MEAN}: SHIFT + exponential of mean MEAN (the straggler model of the ABS paper)</li>
 * <li>{@code lognormal:MU,SIGMA}: exp(N(MU, SIGMA²))</li>
 * <li>{@code bimodal:T,FRACTION,FACTOR}: the first round(FRACTION·m) workers take FACTOR·T, the others T (e.g.
 * hyper-threaded cores)</li>
 * <li>{@code measured:FILE}: worker w resamples the step times worker (w mod k) recorded in a {@code train --json}
 * report's {@code step_time_samples} (k workers there)</li>
 * </ul>
 * All times are in (virtual) seconds.
 */
public final class StepTimes {
    private StepTimes() {}

    public static StepTimeDistribution parse(String spec, int workers) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty step-time specification");
        }
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        String args = colon < 0 ? "" : spec.substring(colon + 1);
        switch (kind) {
            case "constant": {
                double t = positive(spec, numbers(spec, args, 1)[0]);
                return new Simple(spec, w -> t, (w, r) -> t);
            }
            case "uniform": {
                double[] a = numbers(spec, args, 2);
                if (a[0] < 0 || a[1] < a[0]) {
                    throw bad(spec, "needs 0 <= A <= B");
                }
                return new Simple(spec, w -> (a[0] + a[1]) / 2, (w, r) -> a[0] + (a[1] - a[0]) * r.nextDouble());
            }
            case "exp": {
                double mean = positive(spec, numbers(spec, args, 1)[0]);
                return new Simple(spec, w -> mean, (w, r) -> exponential(r, mean));
            }
            case "shifted-exp": {
                double[] a = numbers(spec, args, 2);
                if (a[0] < 0 || !(a[1] > 0)) {
                    throw bad(spec, "needs SHIFT >= 0 and MEAN > 0");
                }
                return new Simple(spec, w -> a[0] + a[1], (w, r) -> a[0] + exponential(r, a[1]));
            }
            case "lognormal": {
                double[] a = numbers(spec, args, 2);
                if (!(a[1] >= 0)) {
                    throw bad(spec, "needs SIGMA >= 0");
                }
                return new Simple(
                        spec, w -> Math.exp(a[0] + a[1] * a[1] / 2), (w, r) -> Math.exp(a[0] + a[1] * gaussian(r)));
            }
            case "bimodal": {
                double[] a = numbers(spec, args, 3);
                if (!(a[0] > 0) || a[1] < 0 || a[1] > 1 || !(a[2] > 0)) {
                    throw bad(spec, "needs T > 0, FRACTION in [0, 1], FACTOR > 0");
                }
                int slow = (int) Math.round(a[1] * workers);
                return new Simple(spec, w -> w < slow ? a[0] * a[2] : a[0], (w, r) -> w < slow ? a[0] * a[2] : a[0]);
            }
            case "measured":
                return Measured.read(spec, Paths.get(args));
            default:
                throw bad(
                        spec,
                        "unknown kind '" + kind
                                + "'; expected constant, uniform, exp, shifted-exp, lognormal, bimodal or measured");
        }
    }

    static double exponential(SplittableRandom r, double mean) {
        return -mean * Math.log(1.0 - r.nextDouble());
    }

    /** Standard normal by Box–Muller (one of the pair; deterministic for the stream). */
    static double gaussian(SplittableRandom r) {
        double u = 1.0 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static double[] numbers(String spec, String args, int n) {
        String[] parts = args.isEmpty() ? new String[0] : args.split(",");
        if (parts.length != n) {
            throw bad(spec, "expected " + n + " number" + (n == 1 ? "" : "s") + " after ':'");
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            try {
                out[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw bad(spec, "'" + parts[i] + "' is not a number");
            }
            if (!Double.isFinite(out[i])) {
                throw bad(spec, "'" + parts[i] + "' is not finite");
            }
        }
        return out;
    }

    private static double positive(String spec, double v) {
        if (!(v > 0)) {
            throw bad(spec, "needs a positive time");
        }
        return v;
    }

    private static IllegalArgumentException bad(String spec, String why) {
        return new IllegalArgumentException("step time '" + spec + "': " + why);
    }

    private interface Mean {
        double of(int worker);
    }

    private interface Sampler {
        double sample(int worker, SplittableRandom r);
    }

    private static final class Simple implements StepTimeDistribution {
        private final String spec;
        private final Mean mean;
        private final Sampler sampler;

        Simple(String spec, Mean mean, Sampler sampler) {
            this.spec = spec;
            this.mean = mean;
            this.sampler = sampler;
        }

        /** The specification it was parsed from (the report's provenance). */
        @Override
        public String toString() {
            return spec;
        }

        @Override
        public double sample(int worker, SplittableRandom random) {
            return sampler.sample(worker, random);
        }

        @Override
        public double mean(int worker) {
            return mean.of(worker);
        }
    }

    /** Resamples per-worker step times recorded by a real run. */
    static final class Measured implements StepTimeDistribution {
        private final String spec;
        private final double[][] samples;

        private Measured(String spec, double[][] samples) {
            this.spec = spec;
            this.samples = samples;
        }

        static Measured read(String spec, Path file) {
            Map<?, ?> report;
            try {
                report = new ObjectMapper().readValue(Files.readString(file), Map.class);
            } catch (IOException e) {
                throw bad(spec, "cannot read " + file + ": " + e.getMessage());
            }
            Object timing = report.get("step_time_samples");
            if (!(timing instanceof List) || ((List<?>) timing).isEmpty()) {
                throw bad(spec, file + " has no step_time_samples (write it with train --json)");
            }
            List<double[]> perWorker = new ArrayList<>();
            for (Object worker : (List<?>) timing) {
                List<?> values = (List<?>) worker;
                double[] v = new double[values.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = ((Number) values.get(i)).doubleValue();
                }
                if (v.length > 0) {
                    perWorker.add(v);
                }
            }
            if (perWorker.isEmpty()) {
                throw bad(spec, file + " has empty step_time_samples");
            }
            return new Measured(spec, perWorker.toArray(new double[0][]));
        }

        @Override
        public double sample(int worker, SplittableRandom random) {
            double[] s = samples[worker % samples.length];
            return s[random.nextInt(s.length)];
        }

        @Override
        public double mean(int worker) {
            double[] s = samples[worker % samples.length];
            double sum = 0;
            for (double x : s) {
                sum += x;
            }
            return sum / s.length;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s (%d workers' samples)", spec, samples.length);
        }
    }
}
