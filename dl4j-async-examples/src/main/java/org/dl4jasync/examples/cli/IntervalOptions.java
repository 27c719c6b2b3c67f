package org.dl4jasync.examples.cli;

import java.util.OptionalInt;
import org.dl4jasync.dispatch.DispatchSpec;
import org.dl4jasync.dispatch.IntervalSchedule;
import org.dl4jasync.dispatch.IntervalSchedule.Decay;
import org.dl4jasync.dispatch.IntervalSchedule.Probe;
import picocli.CommandLine.Option;

/** Interval-Asynchrony's options ({@code --algorithm interval}), parsed onto {@link DispatchSpec.Interval}. */
final class IntervalOptions {
    @Option(
            names = "--interval-y",
            paramLabel = "Y|auto",
            description = "Size y0 of the first interval (accepted steps), or auto (a search over y = 2, 4, 8, …, 4m "
                    + "finished steps each, judged by the loss monitor's decrease per second). Default: "
                    + DispatchSpec.Interval.DEFAULT_Y0 + ".")
    String y0;

    @Option(
            names = "--interval-policy",
            paramLabel = "NAME",
            description = "fixed (y constant), decay or probe. Default: fixed.")
    String policy;

    @Option(
            names = "--probe-window",
            paramLabel = "W",
            description = "probe: window width around y (grows with y, see docs). Default: 16.")
    Integer probeWindow;

    @Option(
            names = "--probe-step",
            paramLabel = "S",
            description = "probe: distance between candidates (grows with y). Default: 4.")
    Integer probeStep;

    @Option(
            names = "--probe-steps",
            paramLabel = "P",
            description = "probe: accepted steps at each candidate. Default: 1024.")
    Long probeSteps;

    @Option(
            names = "--probe-exec",
            paramLabel = "X",
            description = "probe: accepted steps of an execution phase. Default: 8192.")
    Long probeExec;

    @Option(names = "--y-decay-amount", paramLabel = "N", description = "decay: y decreases by N ... Default: 1.")
    Integer decayAmount;

    @Option(
            names = "--y-decay-every",
            paramLabel = "STEPS",
            description = "decay: ... every STEPS accepted steps. Default: 4096.")
    Long decayEvery;

    @Option(names = "--y-min", paramLabel = "Y", description = "decay: never below Y. Default: 4.")
    Integer yMin;

    CliValues.Given given() {
        return new CliValues.Given()
                .add("interval_y", y0)
                .add("interval_policy", policy)
                .add("probe_window", probeWindow)
                .add("probe_step", probeStep)
                .add("probe_steps", probeSteps)
                .add("probe_exec", probeExec)
                .add("y_decay_amount", decayAmount)
                .add("y_decay_every", decayEvery)
                .add("y_min", yMin);
    }

    DispatchSpec.Interval spec() {
        String name = policy == null ? "fixed" : policy;
        CliValues.Given given = given();
        if (!name.equals("probe")) {
            given.refuse(
                    "no value unless {interval_policy} is probe (it is " + name + ")",
                    "probe_window",
                    "probe_step",
                    "probe_steps",
                    "probe_exec");
        }
        if (!name.equals("decay")) {
            given.refuse(
                    "no value unless {interval_policy} is decay (it is " + name + ")",
                    "y_decay_amount",
                    "y_decay_every",
                    "y_min");
        }
        IntervalSchedule schedule =
                switch (name) {
                    case "fixed" -> new IntervalSchedule.Fixed();
                    case "decay" -> new Decay(
                            CliValues.or(decayAmount, () -> Decay.DEFAULT.amount()),
                            CliValues.or(decayEvery, () -> Decay.DEFAULT.every()),
                            CliValues.or(yMin, () -> Decay.DEFAULT.min()));
                    case "probe" -> new Probe(
                            CliValues.or(probeWindow, () -> Probe.DEFAULT.window()),
                            CliValues.or(probeStep, () -> Probe.DEFAULT.step()),
                            CliValues.or(probeSteps, () -> Probe.DEFAULT.steps()),
                            CliValues.or(probeExec, () -> Probe.DEFAULT.exec()));
                    default -> throw new UsageException("--interval-policy", name, "one of fixed, decay, probe");
                };
        if ("auto".equals(y0)) {
            return DispatchSpec.Interval.auto(schedule);
        }
        return new DispatchSpec.Interval(
                OptionalInt.of(
                        y0 == null
                                ? DispatchSpec.Interval.DEFAULT_Y0
                                : CliValues.integer("interval_y", y0, "an integer >= 1 or 'auto'")),
                schedule);
    }
}
