package org.dl4jasync.examples.cli;

import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.dl4jasync.config.Algorithm;
import org.dl4jasync.dispatch.DispatchSpec;
import org.dl4jasync.dispatch.RoundSpec;
import org.dl4jasync.spec.Choice;
import picocli.CommandLine.Option;

/**
 * The options of the bounded-staleness family ({@code --algorithm bounded, ssp, kasync, abs}), parsed onto their
 * {@link DispatchSpec} records; each is refused with another algorithm.
 */
final class StalenessOptions {
    @Option(
            names = "--max-staleness",
            paramLabel = "B",
            description = "bounded: reject an update whose staleness would exceed B (decided exactly on the version "
                    + "counter, on every store). Default: the number of workers.")
    Long maxStaleness;

    @Option(
            names = "--ssp-slack",
            paramLabel = "S",
            description = "ssp: a worker may be at most S steps ahead of the slowest active worker (0: lock-step). "
                    + "Default: " + DispatchSpec.Ssp.DEFAULT_SLACK + ".")
    Integer sspSlack;

    @Option(
            names = "--kasync-k",
            paramLabel = "K|all",
            description = "kasync: submissions averaged into each round's update, in [1, workers], or all (every "
                    + "worker once per round; with --local-steps: synchronous local SGD); K0 with --kasync-adaptive. "
                    + "Default: workers/4, rounded up.")
    String kasyncK;

    @Option(
            names = "--kasync-adaptive",
            description = "kasync: AdaSync's K_t = ceil(K0 sqrt(L0/L_t)), capped at the workers, L the smoothed "
                    + "training loss.")
    boolean kasyncAdaptive;

    @Option(
            names = "--abs-k0",
            paramLabel = "K0",
            description = "abs: AdaSync's initial K0, in [1, workers]. Default: workers/4, rounded up.")
    Integer absK0;

    @Option(
            names = "--abs-c",
            paramLabel = "C|inf",
            description = "abs: staleness threshold S_t = max(1, floor(C/K_t)) rounds; inf: none (AdaSync). "
                    + "Default: the number of workers.")
    String absC;

    @Option(
            names = "--local-steps",
            paramLabel = "H",
            description = "kasync, abs: local SGD, H steps on the worker's own copy before it submits their summed "
                    + "update (the ABS paper uses 10). Default: 1.")
    Integer localSteps;

    /** The spec of {@code a} with these options; an option of another algorithm is refused. */
    DispatchSpec spec(Algorithm a) {
        String is = " (it is " + Choice.key(a) + ")";
        CliValues.Given g = new CliValues.Given()
                .add("max_staleness", maxStaleness)
                .add("ssp_slack", sspSlack)
                .add("kasync_k", kasyncK)
                .add("kasync_adaptive", kasyncAdaptive)
                .add("abs_k0", absK0)
                .add("abs_c", absC);
        if (a != Algorithm.BOUNDED) {
            g.refuse("no value unless {algorithm} is bounded" + is, "max_staleness");
        }
        if (a != Algorithm.SSP) {
            g.refuse("no value unless {algorithm} is ssp" + is, "ssp_slack");
        }
        if (a != Algorithm.KASYNC) {
            g.refuse("no value unless {algorithm} is kasync" + is, "kasync_k", "kasync_adaptive");
        }
        if (a != Algorithm.ABS) {
            g.refuse("no value unless {algorithm} is abs" + is, "abs_k0", "abs_c");
        }
        if (localSteps != null && localSteps > 1 && a != Algorithm.KASYNC && a != Algorithm.ABS) {
            new CliValues.Given().add("local_steps", localSteps).refuse("1 unless {algorithm} is kasync or abs" + is);
        }
        int h = localSteps == null ? 1 : localSteps;
        return switch (a) {
            case BOUNDED -> new DispatchSpec.Bounded(
                    maxStaleness == null ? OptionalLong.empty() : OptionalLong.of(maxStaleness));
            case SSP -> new DispatchSpec.Ssp(sspSlack == null ? DispatchSpec.Ssp.DEFAULT_SLACK : sspSlack);
            case KASYNC -> new RoundSpec.KAsync(
                    kasyncK == null
                            ? OptionalInt.empty()
                            : OptionalInt.of(
                                    "all".equals(kasyncK)
                                            ? RoundSpec.KAsync.ALL
                                            : CliValues.integer(
                                                    "kasync_k", kasyncK, "an integer in [1, --workers] or 'all'")),
                    kasyncAdaptive,
                    h);
            case ABS -> new RoundSpec.Abs(
                    absK0 == null ? OptionalInt.empty() : OptionalInt.of(absK0),
                    absC == null
                            ? OptionalDouble.empty()
                            : OptionalDouble.of(
                                    "inf".equals(absC)
                                            ? Double.POSITIVE_INFINITY
                                            : CliValues.number("abs_c", absC, "a positive number or 'inf'")),
                    h);
            default -> a.defaults();
        };
    }
}
