package org.dl4jasync.examples.cli;

import org.dl4jasync.stepsize.AdaptiveStepSize;
import org.dl4jasync.stepsize.ConstantStepSize;
import org.dl4jasync.stepsize.FleetStepSize;
import org.dl4jasync.stepsize.InverseStepSize;
import org.dl4jasync.stepsize.MindTheStepSize;
import org.dl4jasync.stepsize.NormalizedStepSize;
import org.dl4jasync.stepsize.Phi;
import org.dl4jasync.stepsize.StepSizePolicy;
import org.dl4jasync.stepsize.TailStepSize;

/** The step-size policy a {@link RunSpec} asks for, for m workers (a fresh instance per run). */
final class StepSizeSetup {
    private StepSizeSetup() {
    }

    static StepSizePolicy create(RunSpec s, int workers) {
        switch (s.stepSize) {
            case "tail": {
                TailStepSize.Builder b = new TailStepSize.Builder(workers).amplitude(s.tailAmplitude)
                        .phi(Phi.parse(s.tailPhi));
                window(b, s);
                return b.build(); // mean-preserving by construction: --normalize changes nothing
            }
            case "mindthestep": {
                MindTheStepSize.Builder b = new MindTheStepSize.Builder(workers);
                if (s.mtsMomentum != null) {
                    b.momentum(s.mtsMomentum);
                }
                if (s.mtsLambda != null) {
                    if (Double.isNaN(s.mtsLambda)) {
                        b.measuredLambda();
                    } else {
                        b.lambda(s.mtsLambda);
                    }
                }
                window(b, s);
                return b.build(); // normalised by construction (eq. A.26)
            }
            default:
                StepSizePolicy rule = fixedRule(s.stepSize, workers);
                if (!s.normalize) {
                    return rule;
                }
                NormalizedStepSize.Builder b = new NormalizedStepSize.Builder(rule, workers);
                window(b, s);
                return b.build();
        }
    }

    private static StepSizePolicy fixedRule(String name, int workers) {
        switch (name) {
            case "inverse":
                return InverseStepSize.INSTANCE;
            case "fleet":
                return new FleetStepSize(workers);
            default:
                return ConstantStepSize.INSTANCE;
        }
    }

    private static void window(AdaptiveStepSize.Builder<?> b, RunSpec s) {
        if (s.tailWarmup != null) {
            b.warmup(s.tailWarmup);
        }
        if (s.tailWindow != null) {
            b.window(s.tailWindow);
        }
        if (s.tailRefresh != null) {
            if (s.tailRefresh == 0) {
                b.frozen();
            } else {
                b.refreshEvery(s.tailRefresh);
            }
        }
    }
}
