package org.dl4jasync.trainer;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Helpers for DataSets that cross threads. */
final class Batches {
    private Batches() {
    }

    /**
     * A private copy allocated outside every workspace. Iterators such as {@code AsyncDataSetIterator} reuse
     * their workspace (or their arrays), so a batch kept past the next {@code next()} must be copied.
     */
    static DataSet detachedCopy(org.nd4j.linalg.dataset.api.DataSet ds) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return new DataSet(copy(ds.getFeatures()), copy(ds.getLabels()), copy(ds.getFeaturesMaskArray()),
                    copy(ds.getLabelsMaskArray()));
        }
    }

    private static INDArray copy(INDArray a) {
        return a == null ? null : a.dup();
    }
}
