package org.dl4jasync.parameters;

import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One parameter buffer of the CAS-published store, reused across many published versions (incarnations).
 *
 * <p>{@link #state} protocol: {@code state = 2·readers + STALE}. The STALE bit is set while the buffer is in
 * the pool or being written by its exclusive owner, and once the snapshot has been replaced as "latest"; a pin
 * fails while it is set, so no reader can enter a stale or unpublished buffer. The bit is cleared only by the
 * exclusive owner ({@link #reopen}) right before it tries to publish. Exactly one thread observes the value
 * {@code STALE} (stale, no readers) after its own transition — the last unpin or the mark — and that thread
 * recycles the buffer; so it is recycled exactly once per incarnation.
 */
final class Snapshot {
    static final int STALE = 1;
    private static final int READER = 2;

    final INDArray buffer;
    final FlatVector flat;
    /**
     * The shared optimizer state of this version (null: the store keeps none); written with {@link #buffer} by the
     * exclusive owner before publication, immutable once published.
     */
    final INDArray optimizerState;

    final FlatVector stateFlat;
    final int slot;
    /** Version of the parameters in {@link #buffer}; written by the exclusive owner before publication. */
    volatile long version;

    final AtomicInteger state = new AtomicInteger(STALE);

    Snapshot(INDArray buffer, INDArray optimizerState, int slot) {
        this.buffer = buffer;
        this.flat = FlatVector.of(buffer);
        this.optimizerState = optimizerState;
        this.stateFlat = optimizerState == null ? null : FlatVector.of(optimizerState);
        this.slot = slot;
    }

    /** {@code this ← source}: parameters and state (the exclusive owner, before it applies and publishes). */
    void copyFrom(Snapshot source) {
        flat.copyFrom(source.flat);
        if (stateFlat != null) {
            stateFlat.copyFrom(source.stateFlat);
        }
    }

    /** Adds a reader unless the snapshot is stale. CAS loop invariant: the STALE bit was clear in the value replaced. */
    boolean tryPin() {
        for (; ; ) {
            int s = state.get();
            if ((s & STALE) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s + READER)) {
                return true;
            }
        }
    }

    /** Removes a reader; true when the caller must recycle the buffer (stale and now unread). */
    boolean unpin() {
        return state.addAndGet(-READER) == STALE;
    }

    /** Sets the STALE bit (once per incarnation); true when the caller must recycle the buffer (no readers). */
    boolean markStale() {
        return state.addAndGet(STALE) == STALE;
    }

    /** Clears the STALE bit; only by the exclusive owner (state == STALE), before publishing. */
    void reopen() {
        if (!state.compareAndSet(STALE, 0)) {
            throw new IllegalStateException("reopen of a snapshot not exclusively owned: state " + state.get());
        }
    }
}
