package io.leifdb.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The tail of the log not yet handed to the driver as durable: entries from {@code offset} on,
 * and possibly a snapshot received from the leader that precedes them.
 */
final class Unstable {
    Snapshot snapshot;
    final ArrayList<Entry> entries = new ArrayList<>();
    long offset;

    Unstable(long offset) {
        this.offset = offset;
    }

    /** First index if a pending snapshot decides it, else -1. */
    long maybeFirstIndex() {
        return snapshot == null ? -1 : snapshot.meta().index() + 1;
    }

    /** Last index if the unstable part decides it, else -1. */
    long maybeLastIndex() {
        if (!entries.isEmpty()) {
            return offset + entries.size() - 1;
        }
        return snapshot == null ? -1 : snapshot.meta().index();
    }

    /** Term of {@code index} if the unstable part knows it, else -1. */
    long maybeTerm(long index) {
        if (index < offset) {
            return snapshot != null && snapshot.meta().index() == index ? snapshot.meta().term() : -1;
        }
        long last = maybeLastIndex();
        if (last < 0 || index > last) {
            return -1;
        }
        return entries.get((int) (index - offset)).term();
    }

    /** The driver persisted entries through {@code index}; drop them unless they were replaced since. */
    void stableTo(long index, long term) {
        if (index < offset || maybeTerm(index) != term) {
            return;
        }
        entries.subList(0, (int) (index + 1 - offset)).clear();
        offset = index + 1;
    }

    void stableSnapTo(long index) {
        if (snapshot != null && snapshot.meta().index() == index) {
            snapshot = null;
        }
    }

    void restore(Snapshot snap) {
        offset = snap.meta().index() + 1;
        entries.clear();
        snapshot = snap;
    }

    /** Appends, replacing any unstable suffix the new entries overwrite (§5.3). */
    void truncateAndAppend(List<Entry> batch) {
        long first = batch.get(0).index();
        if (first == offset + entries.size()) {
            entries.addAll(batch);
        } else if (first <= offset) {
            // The new entries replace part of the stable log too; the Ready tells the driver to cut it.
            offset = first;
            entries.clear();
            entries.addAll(batch);
        } else {
            entries.subList((int) (first - offset), entries.size()).clear();
            entries.addAll(batch);
        }
    }

    List<Entry> slice(long lo, long hi) {
        return new ArrayList<>(entries.subList((int) (lo - offset), (int) (hi - offset)));
    }
}
