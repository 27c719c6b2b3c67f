package org.dl4jasync.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dl4jasync.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.api.MultiDataSet;

class InMemoryBatchSourceTest {
    private final List<MultiDataSet> batches = TinyNets.blobs(25, 4, 1).stream()
            .map(d -> d.toMultiDataSet())
            .collect(java.util.stream.Collectors.toList());

    @Test
    void ticketsSelectASeededPermutationPerEpoch() {
        InMemoryBatchSource a = new InMemoryBatchSource(batches, 3, 42, true);
        InMemoryBatchSource b = new InMemoryBatchSource(batches, 3, 42, true);
        InMemoryBatchSource c = new InMemoryBatchSource(batches, 3, 43, true);
        boolean differs = false;
        for (int e = 0; e < 3; e++) {
            Set<MultiDataSet> epoch = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (int i = 0; i < 25; i++) {
                long ticket = e * 25L + i;
                assertThat(a.batch(ticket)).isSameAs(b.batch(ticket));
                differs |= a.batch(ticket) != c.batch(ticket);
                epoch.add(a.batch(ticket));
            }
            assertThat(epoch).as("epoch %d visits every batch once", e).hasSize(25);
        }
        assertThat(differs).as("another seed gives another order").isTrue();
        assertThat(a.batch(75)).as("past the last epoch").isNull();
        assertThat(a.epochEnd(0)).isEqualTo(25);
        assertThat(a.epochEnd(2)).isEqualTo(75);
    }

    @Test
    void unshuffledKeepsIteratorOrder() {
        InMemoryBatchSource s = new InMemoryBatchSource(batches, 2, 1, false);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 25; i++) {
            assertThat(s.batch(i)).isSameAs(batches.get(i));
            assertThat(s.batch(25 + i)).isSameAs(batches.get(i));
            seen.add(i);
        }
        assertThat(seen).hasSize(25);
    }

    @Test
    void aSourceStartingAtEpochKVisitsTheOrdersOfEpochsKOn() {
        // consecutive fit(iterator, 1) calls start at the network's epoch count: each epoch gets a fresh order
        InMemoryBatchSource all = new InMemoryBatchSource(batches, 3, 42, true);
        InMemoryBatchSource second = new InMemoryBatchSource(batches, 1, 42, true, 1);
        InMemoryBatchSource first = new InMemoryBatchSource(batches, 1, 42, true, 0);
        boolean differs = false;
        for (int i = 0; i < 25; i++) {
            assertThat(second.batch(i)).isSameAs(all.batch(25 + i));
            differs |= second.batch(i) != first.batch(i);
        }
        assertThat(differs).as("epoch 1's order is not epoch 0's").isTrue();
    }
}
