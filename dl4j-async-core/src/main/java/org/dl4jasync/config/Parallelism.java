package org.dl4jasync.config;

/** Whether the number of active workers is fixed or set by ElAsyncSGD's controller. */
public enum Parallelism {
    FIXED,
    ELASTIC
}
