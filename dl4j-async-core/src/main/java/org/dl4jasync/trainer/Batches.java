package org.dl4jasync.trainer;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Helpers for batches that cross threads. Every batch the trainer hands to a worker is a {@link MultiDataSet}: a
 * {@code DataSet} is one with a single input and a single output, so both model types and both iterator types take
 * one path.
 */
final class Batches {
    private Batches() {}

    /**
     * A private copy allocated outside every workspace. Iterators such as {@code AsyncDataSetIterator} reuse
     * their workspace (or their arrays), so a batch kept past the next {@code next()} must be copied. A
     * {@code DataSetIterator} reaches here through DL4J's {@code MultiDataSetIteratorAdapter}.
     */
    static MultiDataSet detachedCopy(MultiDataSet mds) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return new org.nd4j.linalg.dataset.MultiDataSet(
                    copy(mds.getFeatures()),
                    copy(mds.getLabels()),
                    copy(mds.getFeaturesMaskArrays()),
                    copy(mds.getLabelsMaskArrays()));
        }
    }

    /** Examples in {@code batch} (its first input's leading dimension). */
    static int size(MultiDataSet batch) {
        return (int) batch.getFeatures(0).size(0);
    }

    private static INDArray copy(INDArray a) {
        return a == null ? null : a.dup();
    }

    private static INDArray[] copy(INDArray[] a) {
        if (a == null) {
            return null;
        }
        INDArray[] c = new INDArray[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = copy(a[i]);
        }
        return c;
    }
}
