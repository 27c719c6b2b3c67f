package org.dl4jasync.metrics;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why a run ended (the first stop condition met); in the report as its {@link #key()}. */
public enum StopReason {
    /** The epochs ran out (or the data did). */
    EPOCHS,
    MAX_STEPS,
    TIME_LIMIT,
    TARGET_ACCURACY,
    /** {@code AsyncTrainer.stopFit()} was called (by a listener, an early-stopping condition, another thread). */
    STOPPED,
    /** The thread that called {@code fit} was interrupted: the run ended and the thread's interrupt status is kept. */
    INTERRUPTED,
    /** The parameters became NaN or infinite (seen at an evaluation or at the end): training diverged. */
    DIVERGED;

    /** The report's spelling, e.g. {@code max_steps}. */
    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
