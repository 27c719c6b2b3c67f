package org.dl4jasync.trainer;

/**
 * Each worker's next event, ordered by virtual time with a deterministic tie-break: events at the same time run in
 * the order they were scheduled (a global sequence number). A binary min-heap over worker ids with the event data
 * in primitive arrays: no allocation per event. Single-threaded.
 */
final class EventQueue {
    private final double[] time;
    private final long[] seq;
    private final byte[] type;
    private final int[] heap;
    private int size;
    private long nextSeq;

    EventQueue(int workers) {
        time = new double[workers];
        seq = new long[workers];
        type = new byte[workers];
        heap = new int[workers];
    }

    /** Schedules worker {@code w}'s next event; {@code w} must have none pending. */
    void schedule(int w, double at, byte eventType) {
        time[w] = at;
        seq[w] = nextSeq++;
        type[w] = eventType;
        int i = size++;
        heap[i] = w;
        siftUp(i);
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The worker whose event is next; call {@link #pop()} to remove it. */
    int peek() {
        return heap[0];
    }

    double timeOf(int w) {
        return time[w];
    }

    byte typeOf(int w) {
        return type[w];
    }

    int pop() {
        int w = heap[0];
        heap[0] = heap[--size];
        if (size > 0) {
            siftDown(0);
        }
        return w;
    }

    private boolean before(int a, int b) {
        return time[a] < time[b] || (time[a] == time[b] && seq[a] < seq[b]);
    }

    private void siftUp(int i) {
        int w = heap[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!before(w, heap[p])) {
                break;
            }
            heap[i] = heap[p];
            i = p;
        }
        heap[i] = w;
    }

    private void siftDown(int i) {
        int w = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int c = 2 * i + 1;
            if (c + 1 < size && before(heap[c + 1], heap[c])) {
                c++;
            }
            if (!before(heap[c], w)) {
                break;
            }
            heap[i] = heap[c];
            i = c;
        }
        heap[i] = w;
    }
}
