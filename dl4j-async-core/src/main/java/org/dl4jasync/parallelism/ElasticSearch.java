package org.dl4jasync.parallelism;

/** How {@link ElasticController} finds the neighbourhood of the best worker count before following it. */
public enum ElasticSearch {
    /**
     * The paper's (Algorithm D.2): the first probing phase starts at m0 and moves one level per phase (its window of
     * ±W_P) until the centre is the best.
     */
    PAPER,
    /**
     * Ours: a search on a log scale first — levels 1, 2, 4, …, m̂, smallest first, D_P·level accepted steps each
     * (equal time per level), stopping at the first level that converges no faster than the best before it — then an
     * execution phase at the best level and the paper's probing windows from there.
     */
    LOG
}
