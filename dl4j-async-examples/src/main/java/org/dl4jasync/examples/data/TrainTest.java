package org.dl4jasync.examples.data;

import org.nd4j.linalg.dataset.DataSet;

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

    /** The same sets without the last {@code n} training examples (held out for a loss monitor). */
    public TrainTest withoutLastTraining(int n) {
        return new TrainTest(train.range(0, train.count - n), test, source);
    }

    /** The last {@code n} training examples as one batch. */
    public DataSet lastTraining(int n) {
        return train.range(train.count - n, train.count).batches(n).get(0);
    }
}
