package org.dl4jasync.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The report's fields of the bounded-staleness family, each present only where it applies (written at the top level
 * of the report, next to the common fields).
 */
@JsonPropertyOrder({"rounds", "uploads", "restarts", "k_trace", "s_trace", "clock_spread_max"})
@JsonInclude(JsonInclude.Include.NON_NULL)
final class BoundedStalenessSection {
    /** K-async, ABS: rounds closed, each one applied update (the average of its submissions). */
    Long rounds;
    /** K-async, ABS: submissions to the shared model that entered a round (the ABS paper's communication count). */
    Long uploads;
    /** ABS: steps whose work was dropped because their base was more than S_t rounds old (forced restarts). */
    Long restarts;
    /** Adaptive K: [[seconds, rounds, K], …] at the start and at every change of K. */
    List<Number[]> kTrace;
    /** ABS: [[seconds, rounds, S], …] at the start and at every change of S (S null: no threshold). */
    List<Number[]> sTrace;
    /** SSP: the largest c − min(clocks) seen when a step started (at most the slack s). */
    Long clockSpreadMax;
}
