package org.dl4jasync.config;

/** Where MindTheStep's Poisson λ comes from. */
public enum MtsLambda {
    /** λ = m, the number of workers. */
    WORKERS,
    /** λ = the measured mean staleness of the warm-up. */
    MEASURED,
    /** λ as given. */
    GIVEN
}
