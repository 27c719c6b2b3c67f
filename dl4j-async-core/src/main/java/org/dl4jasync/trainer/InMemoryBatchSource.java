package org.dl4jasync.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.nd4j.linalg.dataset.adapter.MultiDataSetIteratorAdapter;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * All batches held in memory (detached copies), visited in a fresh seeded permutation every epoch:
 * ticket i is batch {@code perm(i / n)[i % n]} of epoch {@code i / n}. Fully deterministic for a seed.
 */
final class InMemoryBatchSource implements BatchSource {
    private static final int CACHED_EPOCHS = 8;

    private final List<MultiDataSet> batches;
    private final int epochs;
    private final long seed;
    private final int firstEpoch;
    private final boolean shuffle;
    /** Permutation cache, slot epoch % CACHED_EPOCHS. Published by CAS; entries are immutable. */
    private final AtomicReferenceArray<Permutation> cache = new AtomicReferenceArray<>(CACHED_EPOCHS);

    private static final class Permutation {
        final int epoch;
        final int[] order;

        Permutation(int epoch, int[] order) {
            this.epoch = epoch;
            this.order = order;
        }
    }

    public InMemoryBatchSource(List<? extends MultiDataSet> batches, int epochs, long seed, boolean shuffle) {
        this(batches, epochs, seed, shuffle, 0);
    }

    /**
     * @param firstEpoch the number of epochs trained before this source's first: epoch e is visited in the
     *                   permutation of (seed, firstEpoch + e), so consecutive {@code fit} calls (the network's epoch
     *                   count goes on) visit fresh orders, and a run stays reproducible from its starting epoch
     */
    public InMemoryBatchSource(
            List<? extends MultiDataSet> batches, int epochs, long seed, boolean shuffle, int firstEpoch) {
        this(batches, checkEpochs(epochs), seed, shuffle, firstEpoch, 0);
    }

    private static int checkEpochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        return epochs;
    }

    /**
     * @param skip batches of the first epoch already trained (a resumed run): ticket 0 is the batch at position
     *             {@code skip} of epoch {@code firstEpoch}'s order, and that epoch ends {@code skip} tickets early
     */
    InMemoryBatchSource(
            List<? extends MultiDataSet> batches, int epochs, long seed, boolean shuffle, int firstEpoch, long skip) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("the data set iterator produced no batches");
        }
        if (epochs < 0) { // 0: a resumed run whose epochs were all trained before its checkpoint
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        this.batches = List.copyOf(batches);
        this.epochs = epochs;
        this.seed = seed;
        this.shuffle = shuffle;
        this.firstEpoch = firstEpoch;
        if (skip < 0 || skip >= batches.size()) {
            throw new IllegalArgumentException("the data has " + batches.size() + " batches per epoch, fewer than "
                    + "the resumed position " + skip);
        }
        this.skip = skip;
    }

    private final long skip;

    /** Reads every batch of {@code iterator} (one pass, after a reset when supported) into detached copies. */
    public static List<MultiDataSet> load(DataSetIterator iterator) {
        return load(new MultiDataSetIteratorAdapter(iterator)); // wraps each DataSet's arrays; the copy is below
    }

    /** As {@link #load(DataSetIterator)}, for batches of several inputs or outputs. */
    public static List<MultiDataSet> load(MultiDataSetIterator iterator) {
        if (iterator.resetSupported()) {
            iterator.reset();
        }
        List<MultiDataSet> out = new ArrayList<>();
        while (iterator.hasNext()) {
            out.add(Batches.detachedCopy(iterator.next()));
        }
        return out;
    }

    public int batchesPerEpoch() {
        return batches.size();
    }

    @Override
    public MultiDataSet batch(long ticket) {
        ticket += skip;
        int n = batches.size();
        long epoch = ticket / n;
        if (epoch >= epochs) {
            return null;
        }
        int index = (int) (ticket % n);
        return batches.get(shuffle ? permutation((int) epoch)[index] : index);
    }

    private int[] permutation(int epoch) {
        int slot = epoch % CACHED_EPOCHS;
        Permutation p = cache.get(slot);
        if (p != null && p.epoch == epoch) {
            return p.order;
        }
        int[] order = shuffled(epoch);
        cache.set(slot, new Permutation(epoch, order)); // racing writers store equal permutations
        return order;
    }

    private int[] shuffled(int epoch) {
        int n = batches.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + firstEpoch + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    @Override
    public void done(long ticket) {}

    @Override
    public long epochEnd(int epoch) {
        return (epoch + 1L) * batches.size() - skip;
    }

    @Override
    public int epochs() {
        return epochs;
    }

    @Override
    public void close() {}
}
