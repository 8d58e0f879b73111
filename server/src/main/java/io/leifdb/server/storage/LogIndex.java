package io.leifdb.server.storage;

import java.util.Arrays;

/**
 * Where each live entry sits on disk, plus its term, for indexes {@code first..last}. Held in
 * parallel arrays (about 24 bytes an entry) so term() and locating an entry never touch the disk.
 * Locations rise with the index: rewriting index i drops every later index first.
 */
final class LogIndex {
    private long first = 1;
    private int head;
    private int size;
    private long[] terms = new long[1024];
    private long[] offsets = new long[1024];
    private int[] lengths = new int[1024];
    private Segment[] segments = new Segment[1024];
    /** Sum of the record sizes of the live entries. */
    private long bytes;

    boolean isEmpty() {
        return size == 0;
    }

    /** First index held; when empty, the index the next entry must have. */
    long first() {
        return first;
    }

    long last() {
        return first + size - 1;
    }

    long bytes() {
        return bytes;
    }

    /** Empties the index so that the next entry is {@code nextIndex}. */
    void reset(long nextIndex) {
        first = nextIndex;
        head = 0;
        size = 0;
        bytes = 0;
        Arrays.fill(segments, null);
    }

    /** Records entry {@code index}; it must be {@code last() + 1}. */
    void add(long index, long term, Segment seg, long offset, int length) {
        if (index != first + size) throw new IllegalStateException("index " + index + " after " + last());
        if (head + size == terms.length) grow();
        int slot = head + size;
        terms[slot] = term;
        offsets[slot] = offset;
        lengths[slot] = length;
        segments[slot] = seg;
        size++;
        bytes += length;
    }

    /** Drops {@code index} and everything after it. */
    void truncateFrom(long index) {
        if (index <= first) {
            reset(first);
            return;
        }
        int keep = (int) Math.min(size, index - first);
        for (int i = keep; i < size; i++) {
            bytes -= lengths[head + i];
            segments[head + i] = null;
        }
        size = keep;
    }

    /** Drops every index up to and including {@code index}. */
    void dropThrough(long index) {
        if (index >= last()) {
            reset(index + 1);
            return;
        }
        int drop = (int) (index - first + 1);
        if (drop <= 0) return;
        for (int i = 0; i < drop; i++) {
            bytes -= lengths[head + i];
            segments[head + i] = null;
        }
        head += drop;
        size -= drop;
        first = index + 1;
    }

    long term(long index) {
        return terms[slot(index)];
    }

    long offset(long index) {
        return offsets[slot(index)];
    }

    int length(long index) {
        return lengths[slot(index)];
    }

    Segment segment(long index) {
        return segments[slot(index)];
    }

    private int slot(long index) {
        if (index < first || index > last()) {
            throw new IndexOutOfBoundsException("index " + index + " outside " + first + ".." + last());
        }
        return head + (int) (index - first);
    }

    /** Moves the live window to the array start, doubling the arrays only when they are half full. */
    private void grow() {
        int cap = size * 2 > terms.length ? terms.length * 2 : terms.length;
        terms = shift(terms, new long[cap]);
        offsets = shift(offsets, new long[cap]);
        int[] l = new int[cap];
        System.arraycopy(lengths, head, l, 0, size);
        lengths = l;
        Segment[] s = new Segment[cap];
        System.arraycopy(segments, head, s, 0, size);
        segments = s;
        head = 0;
    }

    private long[] shift(long[] from, long[] to) {
        System.arraycopy(from, head, to, 0, size);
        return to;
    }
}
