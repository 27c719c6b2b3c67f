package org.dl4jasync.trainer;

/** Why a run ended (the first stop condition met). */
enum StopReason {
    EPOCHS, MAX_STEPS, TIME_LIMIT, TARGET_ACCURACY,
    /** The parameters became NaN or infinite (seen at an evaluation): training diverged. */
    DIVERGED;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
