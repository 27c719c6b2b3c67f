package org.dl4jasync.examples.data;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;

/**
 * A training set and a held-out test set, with what every batch of either needs: the class names and the
 * normalisation fitted on the training set (none for Fashion-MNIST, whose pixels are only scaled to [0, 1]).
 */
public final class TrainTest {
    public final LabeledImages train;
    public final LabeledImages test;
    /** Where the data came from, for reports. */
    public final String source;
    /** One name per class (the label index as text when the data set names none). */
    public final List<String> classNames;
    /** Applied to every batch after scaling to [0, 1], or null. Fitted on {@link #train} only. */
    public final DataSetPreProcessor normalizer;

    public TrainTest(LabeledImages train, LabeledImages test, String source) {
        this(train, test, source, indices(train.classes), null);
    }

    private TrainTest(
            LabeledImages train,
            LabeledImages test,
            String source,
            List<String> classNames,
            DataSetPreProcessor normalizer) {
        if (train.classes != test.classes || train.features() != test.features()) {
            throw new IllegalArgumentException("training and test images differ in shape or classes");
        }
        if (classNames.size() != train.classes) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + train.classes + " classes");
        }
        this.train = train;
        this.test = test;
        this.source = source;
        this.classNames = List.copyOf(classNames);
        this.normalizer = normalizer;
    }

    private static List<String> indices(int classes) {
        List<String> n = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            n.add(String.valueOf(i));
        }
        return n;
    }

    public TrainTest withClassNames(List<String> names) {
        return new TrainTest(train, test, source, names, normalizer);
    }

    /** The same sets normalised per channel with the statistics of the training set. */
    public TrainTest standardizedPerChannel() {
        return new TrainTest(train, test, source, classNames, ChannelStandardizer.fit(train));
    }

    /** The same sets without the last {@code n} training examples (held out for a loss monitor). */
    public TrainTest withoutLastTraining(int n) {
        return new TrainTest(train.range(0, train.count - n), test, source, classNames, normalizer);
    }

    /** The last {@code n} training examples as one batch, normalised like the rest. */
    public DataSet lastTraining(int n) {
        DataSet d = train.range(train.count - n, train.count).batches(n).get(0);
        if (normalizer != null) {
            normalizer.preProcess(d);
        }
        return d;
    }

    /** The training set in record order, {@code batch} examples at a time, normalised. */
    public ImageIterator.Builder trainIterator(int batch) {
        return ImageIterator.over(train, batch).preProcessor(normalizer).labels(classNames);
    }

    /** The test set in record order, normalised with the training set's statistics. */
    public ImageIterator testIterator(int batch) {
        return ImageIterator.over(test, batch)
                .preProcessor(normalizer)
                .labels(classNames)
                .build();
    }
}
