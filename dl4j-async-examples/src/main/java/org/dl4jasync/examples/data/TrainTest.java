package org.dl4jasync.examples.data;

/** A training set and a held-out test set. */
public final class TrainTest {
    public final LabeledImages train;
    public final LabeledImages test;
    /** Where the data came from, for reports. */
    public final String source;

    public TrainTest(LabeledImages train, LabeledImages test, String source) {
        this.train = train;
        this.test = test;
        this.source = source;
    }
}
