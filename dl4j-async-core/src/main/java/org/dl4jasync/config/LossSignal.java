package org.dl4jasync.config;

/** The loss the controllers (elastic parallelism, y-probing) compare. */
public enum LossSignal {
    /** Exponential moving average of the minibatch losses (cheap, noisy). */
    EMA,
    /** The loss on a held-out sample (accurate; a forward pass per reading). */
    EVAL
}
