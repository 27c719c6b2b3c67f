package org.dl4jasync.examples.cli;

import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.dl4jasync.spec.Choice;
import org.dl4jasync.stepsize.MindTheStepSize;
import org.dl4jasync.stepsize.Phi;
import org.dl4jasync.stepsize.StepSizeSpec;
import picocli.CommandLine.Option;

/** The staleness-adaptive step size's options, parsed onto the {@link StepSizeSpec} of {@code --step-size}. */
final class StepSizeOptions {
    @Option(
            names = "--step-size",
            paramLabel = "NAME",
            description = "Staleness-adaptive step size for the asynchronous algorithms: constant, tail (TAIL-τ), "
                    + "inverse (1/(τ+1)), fleet (exp(−βτ)) or mindthestep. Default: constant.")
    String rule;

    @Option(
            names = "--tail-amplitude",
            paramLabel = "A",
            description = "tail: factors span [1 − A, 1 + A], A in [0, 1]. Default: 1.")
    Double tailAmplitude;

    @Option(
            names = "--tail-phi",
            paramLabel = "PHI",
            description = "tail: shaping function identity, smoothstep or step. Default: identity.")
    String tailPhi;

    @Option(
            names = "--tail-warmup",
            paramLabel = "N",
            description = "tail, mindthestep, --normalize: applied updates at factor 1 before the staleness "
                    + "distribution is estimated (from the last third of them). Default: 15 × workers.")
    Long warmup;

    @Option(
            names = "--tail-refresh",
            paramLabel = "frozen|R",
            description = "Re-estimate the distribution every R applied updates over the last --tail-window, or "
                    + "keep the warm-up's estimate (frozen). Default: window / 10.")
    String refresh;

    @Option(
            names = "--tail-window",
            paramLabel = "K",
            description = "Applied updates the estimate covers. Default: max(1000, 10 × workers).")
    Integer window;

    @Option(
            names = "--mts-momentum",
            paramLabel = "K",
            description = "mindthestep: K >= 0 in c(τ) (thesis Corollary A.4.7). Default: 1.")
    Double mtsMomentum;

    @Option(
            names = "--mts-eta",
            paramLabel = "ETA",
            description =
                    "mindthestep: η in c(τ). Default: the model's learning rate (--lr); needed with --model none.")
    Double mtsEta;

    @Option(
            names = "--mts-form",
            paramLabel = "printed|rederived",
            description = "mindthestep: c(τ) as eq. A.18 prints it, or re-derived without its 1/e^λ. Default: printed.")
    String mtsForm;

    @Option(
            names = "--mts-lambda",
            paramLabel = "LAMBDA|workers|measured",
            description = "mindthestep: λ of the Poisson staleness model. Default: workers.")
    String mtsLambda;

    @Option(
            names = "--normalize",
            description = "inverse, fleet: scale the step-size factors to mean 1 over the observed staleness (fair "
                    + "comparison; tail and mindthestep are mean-preserving by construction).")
    boolean normalize;

    /** The spec of {@code --step-size}; an option of another rule is refused. */
    StepSizeSpec spec() {
        String name = rule == null ? "constant" : rule;
        String is = " (it is " + name + ")";
        CliValues.Given g = new CliValues.Given()
                .add("tail_amplitude", tailAmplitude)
                .add("tail_phi", tailPhi)
                .add("mts_momentum", mtsMomentum)
                .add("mts_eta", mtsEta)
                .add("mts_form", mtsForm)
                .add("mts_lambda", mtsLambda)
                .add("normalize", normalize);
        if (!name.equals("tail")) {
            g.refuse("no value unless {step_size} is tail" + is, "tail_amplitude", "tail_phi");
        }
        if (!name.equals("mindthestep")) {
            g.refuse(
                    "no value unless {step_size} is mindthestep" + is,
                    "mts_momentum",
                    "mts_eta",
                    "mts_form",
                    "mts_lambda");
        }
        if (!name.equals("inverse") && !name.equals("fleet")) {
            g.refuse("no value unless {step_size} is inverse or fleet" + is, "normalize");
        }
        StepSizeSpec.Window w = window();
        return switch (name) {
            case "constant" -> {
                w.refuseUnless(false, "tail, mindthestep, or inverse or fleet with normalize");
                yield new StepSizeSpec.Constant();
            }
            case "inverse" -> new StepSizeSpec.Inverse(normalize, w);
            case "fleet" -> new StepSizeSpec.Fleet(normalize, w);
            case "tail" -> new StepSizeSpec.Tail(
                    tailAmplitude == null ? 1.0 : tailAmplitude,
                    tailPhi == null ? Phi.IDENTITY : Choice.parse("tail_phi", tailPhi, Phi.class),
                    w);
            case "mindthestep" -> new StepSizeSpec.MindTheStep(
                    mtsMomentum == null ? OptionalDouble.empty() : OptionalDouble.of(mtsMomentum),
                    mtsEta == null ? OptionalDouble.empty() : OptionalDouble.of(mtsEta),
                    mtsForm == null
                            ? MindTheStepSize.Form.PRINTED
                            : Choice.parse("mts_form", mtsForm, MindTheStepSize.Form.class),
                    "measured".equals(mtsLambda),
                    mtsLambda == null || "measured".equals(mtsLambda) || "workers".equals(mtsLambda)
                            ? OptionalDouble.empty()
                            : OptionalDouble.of(lambda()),
                    w);
            default -> throw new UsageException(
                    "--step-size", name, "one of constant, tail, inverse, fleet, mindthestep");
        };
    }

    /** λ as given; a number that is not positive is refused as written. */
    private double lambda() {
        String expected = "a positive number, 'workers' or 'measured'";
        double l = CliValues.number("mts_lambda", mtsLambda, expected);
        if (!(l > 0 && Double.isFinite(l))) {
            throw new UsageException("--mts-lambda", mtsLambda, expected);
        }
        return l;
    }

    private StepSizeSpec.Window window() {
        boolean frozen = "frozen".equals(refresh);
        return new StepSizeSpec.Window(
                warmup == null ? OptionalLong.empty() : OptionalLong.of(warmup),
                window == null ? OptionalInt.empty() : OptionalInt.of(window),
                refresh == null || frozen
                        ? OptionalLong.empty()
                        : OptionalLong.of(CliValues.integer("tail_refresh", refresh, "'frozen' or an integer >= 1")),
                frozen);
    }
}
