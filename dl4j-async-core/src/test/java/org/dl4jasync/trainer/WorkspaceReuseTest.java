package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.deeplearning4j.datasets.iterator.AsyncDataSetIterator;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.adapter.MultiDataSetIteratorAdapter;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * {@code AsyncDataSetIterator} with a workspace hands out DataSets whose arrays live in a workspace that is reused:
 * kept without detaching, they are overwritten by later batches. Both sources must keep the real data.
 */
class WorkspaceReuseTest {
    private final List<DataSet> original = TinyNets.blobs(12, 8, 21);

    @Test
    void inMemorySourceKeepsDetachedCopies() {
        List<MultiDataSet> loaded =
                InMemoryBatchSource.load(new AsyncDataSetIterator(TinyNets.iterator(original), 2, true));
        assertThat(loaded).hasSize(original.size());
        for (int i = 0; i < original.size(); i++) {
            assertThat(loaded.get(i).getFeatures(0))
                    .as("batch %d", i)
                    .isEqualTo(original.get(i).getFeatures());
            assertThat(loaded.get(i).getLabels(0)).isEqualTo(original.get(i).getLabels());
        }
    }

    @Test
    void prefetchingSourceHandsOutTheBatchOfEachTicket() throws InterruptedException {
        PrefetchingBatchSource source = new PrefetchingBatchSource(
                new MultiDataSetIteratorAdapter(new AsyncDataSetIterator(TinyNets.iterator(original), 2, true)), 2, 4);
        try {
            for (long ticket = 0; ticket < 2L * original.size(); ticket++) {
                MultiDataSet ds = source.batch(ticket);
                assertThat(ds.getFeatures(0))
                        .as("ticket %d", ticket)
                        .isEqualTo(
                                original.get((int) (ticket % original.size())).getFeatures());
                source.done(ticket);
            }
            assertThat(source.batch(2L * original.size()))
                    .as("past the last epoch")
                    .isNull();
            assertThat(source.epochEnd(0)).isEqualTo(original.size());
            assertThat(source.epochEnd(1)).isEqualTo(2L * original.size());
        } finally {
            source.close();
        }
    }
}
