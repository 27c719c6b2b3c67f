package org.dl4jasync.stepsize;

import java.util.Locale;

/**
 * The shaping function φ of generalised TAIL-τ (Theorem C.4.8): non-decreasing on [0, 1] with φ(0) = 0,
 * φ(1) = 1 and ∫φ = 1/2, which makes C(τ) = 1 + A·(1 − 2·φ(F(τ))) mean-preserving and priority-preserving.
 * Each constant gives φ and its antiderivative Φ (Φ(0) = 0, Φ(1) = 1/2), from which the policy averages φ over
 * the CDF interval of a discrete τ.
 */
public enum Phi {
    /** φ(u) = u: the plain TAIL-τ of Definition C.4.5; the factor is linear in the CDF. */
    IDENTITY {
        @Override
        public double phi(double u) {
            return u;
        }

        @Override
        public double integral(double u) {
            return 0.5 * u * u;
        }
    },
    /** φ(u) = 3u² − 2u³: flat near both ends, so the most and least stale updates get nearly ±A. */
    SMOOTHSTEP {
        @Override
        public double phi(double u) {
            return u * u * (3 - 2 * u);
        }

        @Override
        public double integral(double u) {
            double u3 = u * u * u;
            return u3 - 0.5 * u3 * u;
        }
    },
    /** φ(u) = 0 below the median, 1 from it on: factor 1 + A for the fresher half, 1 − A for the staler half. */
    STEP {
        @Override
        public double phi(double u) {
            return u < 0.5 ? 0 : 1;
        }

        @Override
        public double integral(double u) {
            return Math.max(0, u - 0.5);
        }
    };

    public abstract double phi(double u);

    /** Φ(u) = ∫₀ᵘ φ. */
    public abstract double integral(double u);

    /**
     * The mean of φ over [a, b] (the CDF interval P[τ' &lt; τ] … P[τ' ≤ τ] of one τ), or φ(a) when a = b.
     * Its expectation over a discrete distribution is ∫₀¹ φ = 1/2 exactly; for φ = identity it is the mid-point
     * (a + b)/2.
     */
    public double average(double a, double b) {
        return b > a ? (integral(b) - integral(a)) / (b - a) : phi(a);
    }

    public static Phi parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown phi '" + s + "': use identity, smoothstep or step");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
