package org.dl4jasync.examples.cli;

import java.util.OptionalInt;
import org.dl4jasync.parallelism.ElasticSearch;
import org.dl4jasync.parallelism.ElasticSpec;
import org.dl4jasync.spec.Choice;
import picocli.CommandLine.Option;

/** Elastic parallelism's options (ElAsyncSGD), parsed onto {@link ElasticSpec.Probing}. */
final class ElasticOptions {
    @Option(
            names = "--parallelism",
            paramLabel = "fixed|elastic",
            description = "elastic: ElAsyncSGD's controller adapts the active worker count (with an asynchronous "
                    + "algorithm; --algorithm elastic is async with it). Default: fixed.")
    String parallelism;

    @Option(
            names = "--elastic-m0",
            paramLabel = "M",
            description = "Elastic: initial active workers. Default: workers/2.")
    Integer m0;

    @Option(
            names = "--elastic-ip",
            paramLabel = "K",
            description = "Elastic: execution phase of K × m accepted steps. Default: 100.")
    Integer ip;

    @Option(
            names = "--elastic-dp",
            paramLabel = "K",
            description = "Elastic: K × m accepted steps per probed level. Default: 10.")
    Integer dp;

    @Option(
            names = "--elastic-search",
            paramLabel = "paper|log",
            description = "Elastic: find m* as the paper does (from m0, one level per probing phase) or by a log-scale "
                    + "search over 1, 2, 4, … first. Default: paper.")
    String search;

    @Option(
            names = "--elastic-wp",
            paramLabel = "W",
            description = "Elastic: levels probed on each side of m. Default: 1.")
    Integer wp;

    @Option(
            names = "--baseline-workers",
            paramLabel = "M",
            description = "Elastic: report the break-even time against a constant-M run's worker-seconds.")
    Integer baselineWorkers;

    /**
     * The elastic parallelism these options describe, elastic when {@code --parallelism elastic} or {@code elastic}
     * (the algorithm); null for fixed parallelism, where each of these options is refused.
     */
    ElasticSpec spec(boolean elasticAlgorithm) {
        Kind kind = parallelism == null ? Kind.FIXED : Choice.parse("parallelism", parallelism, Kind.class);
        boolean elastic = elasticAlgorithm || kind == Kind.ELASTIC;
        if (!elastic) {
            new CliValues.Given()
                    .add("elastic_m0", m0)
                    .add("elastic_ip", ip)
                    .add("elastic_dp", dp)
                    .add("elastic_search", search)
                    .add("elastic_wp", wp)
                    .add("baseline_workers", baselineWorkers)
                    .refuse("no value unless the run is elastic ({algorithm} elastic or {parallelism} elastic)");
            return null;
        }
        ElasticSpec.Probing d = ElasticSpec.Probing.DEFAULT;
        return new ElasticSpec.Probing(
                CliValues.or(ip, d::ip),
                CliValues.or(dp, d::dp),
                CliValues.or(wp, d::wp),
                search == null ? d.search() : Choice.parse("elastic_search", search, ElasticSearch.class),
                m0 == null ? OptionalInt.empty() : OptionalInt.of(m0),
                baselineWorkers == null ? OptionalInt.empty() : OptionalInt.of(baselineWorkers));
    }

    /** The spellings of {@code --parallelism}. */
    enum Kind {
        FIXED,
        ELASTIC
    }
}
