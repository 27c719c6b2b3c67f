package org.dl4jasync.config;

/** The loss the controllers (elastic parallelism, y-probing, the searches of auto y0 and of elastic) compare. */
public enum LossSignal {
    /** Exponential moving average of the minibatch losses (cheap, noisy; remembers about the last 100 steps). */
    EMA,
    /** The loss on a held-out sample (accurate; a forward pass per reading). */
    EVAL,
    /**
     * The held-out loss for the searches at the start of a run (auto y0, the elastic log search), the EMA for every
     * comparison after them (probing windows). A search's first phases are shorter than the EMA's memory, so the
     * EMA there still carries the losses of earlier candidates; later, with phases of hundreds of steps, the EMA is
     * as informative and costs nothing. Measured: RESULTS.md, "Elastic parallelism: the log search".
     */
    SEARCH_EVAL;

    /** Whether a held-out sample must be given. */
    public boolean needsHeldOut() {
        return this != EMA;
    }
}
