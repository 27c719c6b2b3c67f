package org.dl4jasync.trainer;

import java.util.Arrays;

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
    /** pos[w]: worker w's index in {@link #heap}, or −1 when it has no event. */
    private final int[] pos;

    private int size;
    private long nextSeq;

    EventQueue(int workers) {
        time = new double[workers];
        seq = new long[workers];
        type = new byte[workers];
        heap = new int[workers];
        pos = new int[workers];
        Arrays.fill(pos, -1);
    }

    /** Schedules worker {@code w}'s next event; {@code w} must have none pending. */
    void schedule(int w, double at, byte eventType) {
        time[w] = at;
        seq[w] = nextSeq++;
        type[w] = eventType;
        int i = size++;
        heap[i] = w;
        pos[w] = i;
        siftUp(i);
    }

    /** Whether worker {@code w} has an event pending. */
    boolean contains(int w) {
        return pos[w] >= 0;
    }

    /**
     * Moves worker {@code w}'s pending event to {@code at} (not later than its time now) with a new type; it runs
     * after the events already scheduled at {@code at}.
     */
    void reschedule(int w, double at, byte eventType) {
        int i = pos[w];
        if (i < 0 || at > time[w]) {
            throw new IllegalStateException("worker " + w + " has no pending event at or after " + at);
        }
        time[w] = at;
        seq[w] = nextSeq++;
        type[w] = eventType;
        siftUp(i);
        siftDown(pos[w]); // an equal time with the new, later sequence number may order it after others
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
        pos[w] = -1;
        heap[0] = heap[--size];
        if (size > 0) {
            pos[heap[0]] = 0;
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
            pos[heap[i]] = i;
            i = p;
        }
        heap[i] = w;
        pos[w] = i;
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
            pos[heap[i]] = i;
            i = c;
        }
        heap[i] = w;
        pos[w] = i;
    }
}
