package io.leifdb.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The replicated log as the core sees it (§5.3): the durable part read through {@link LogStorage}
 * and the {@link Unstable} tail, plus the commit and applied indexes.
 */
final class RaftLog {
    final LogStorage storage;
    final Unstable unstable;
    long committed;
    long applied;
    /** Told of every batch appended (after any suffix it replaced was dropped), e.g. for membership. */
    Consumer<List<Entry>> onAppend = batch -> { };
    /** CRaft: a full copy replaces a fragment we hold of the same (index, term). */
    boolean upgradesFragments;

    RaftLog(LogStorage storage) {
        this.storage = storage;
        this.unstable = new Unstable(storage.lastIndex() + 1);
        this.committed = storage.firstIndex() - 1;
        this.applied = storage.firstIndex() - 1;
    }

    long firstIndex() {
        long i = unstable.maybeFirstIndex();
        return i >= 0 ? i : storage.firstIndex();
    }

    long lastIndex() {
        long i = unstable.maybeLastIndex();
        return i >= 0 ? i : storage.lastIndex();
    }

    /** Term of {@code index} in [firstIndex()-1, lastIndex()]; throws {@link LogUnavailableException} otherwise. */
    long term(long index) {
        if (index < firstIndex() - 1 || index > lastIndex()) {
            throw new LogUnavailableException("no term for " + index + " in [" + (firstIndex() - 1) + ", "
                    + lastIndex() + "]");
        }
        long t = unstable.maybeTerm(index);
        return t >= 0 ? t : storage.term(index);
    }

    long termOrZero(long index) {
        try {
            return term(index);
        } catch (LogUnavailableException e) {
            return 0;
        }
    }

    long lastTerm() {
        return term(lastIndex());
    }

    boolean matchTerm(long index, long term) {
        try {
            return term(index) == term;
        } catch (LogUnavailableException e) {
            return false;
        }
    }

    /** §5.4.1: is a candidate's log (lastIndex, lastTerm) at least as up-to-date as ours? */
    boolean isUpToDate(long lastIndex, long lastTerm) {
        long ours = lastTerm();
        return lastTerm > ours || (lastTerm == ours && lastIndex >= lastIndex());
    }

    /**
     * §5.3 AppendEntries receiver: if our log holds (prevIndex, prevTerm), append what is new and
     * advance commit to min(leaderCommit, last new index). Returns that last index, or -1 on mismatch.
     * Entries already present with the same term are never rewritten, so a late, shorter append
     * cannot truncate entries that arrived after it.
     */
    long maybeAppend(long prevIndex, long prevTerm, long leaderCommit, List<Entry> batch) {
        if (!matchTerm(prevIndex, prevTerm)) {
            return -1;
        }
        long lastNew = prevIndex + batch.size();
        long conflict = findConflict(batch);
        long upgrade = upgradesFragments && !batch.isEmpty() ? findUpgrade(batch, conflict) : 0;
        if (upgrade != 0) {
            replaceInPlace(batch.subList((int) (upgrade - batch.get(0).index()), batch.size()), conflict != 0);
        } else if (conflict != 0) {
            if (conflict <= committed) {
                throw new IllegalStateException("entry " + conflict + " conflicts with committed " + committed);
            }
            append(batch.subList((int) (conflict - batch.get(0).index()), batch.size()));
        }
        commitTo(Math.min(leaderCommit, lastNew));
        return lastNew;
    }

    /**
     * CRaft: the first uncommitted index (before any conflict) where we hold a fragment and the
     * leader now sends the full entry, because it fell back to full copies; 0 if none.
     */
    private long findUpgrade(List<Entry> batch, long conflict) {
        long lo = Math.max(batch.get(0).index(), committed + 1);
        long hi = Math.min(batch.get(batch.size() - 1).index(), lastIndex());
        if (conflict != 0) {
            hi = Math.min(hi, conflict - 1);
        }
        if (lo > hi) {
            return 0;
        }
        List<Entry> ours = slice(lo, hi + 1, Long.MAX_VALUE);
        for (Entry mine : ours) {
            Entry theirs = batch.get((int) (mine.index() - batch.get(0).index()));
            if (mine.type() == EntryType.FRAGMENT && theirs.type() != EntryType.FRAGMENT) {
                return mine.index();
            }
        }
        return 0;
    }

    /**
     * Writes {@code from} over our log, keeping the full copies we hold of entries it sends as
     * fragments. Without a conflict our entries after it stay: we acknowledged them, so they are
     * re-written behind it rather than dropped.
     */
    private void replaceInPlace(List<Entry> from, boolean conflict) {
        List<Entry> suffix = new ArrayList<>(from.size());
        long held = lastIndex();
        for (Entry e : from) {
            // A full copy is never traded for a fragment of the same entry: a majority may count on it.
            Entry mine = e.type() == EntryType.FRAGMENT && e.index() <= held && matchTerm(e.index(), e.term())
                    ? slice(e.index(), e.index() + 1, Long.MAX_VALUE).get(0) : null;
            suffix.add(mine != null && mine.type() != EntryType.FRAGMENT ? mine : e);
        }
        long end = from.get(from.size() - 1).index();
        if (!conflict && end < lastIndex()) {
            suffix.addAll(slice(end + 1, lastIndex() + 1, Long.MAX_VALUE));
        }
        append(suffix);
    }

    /** First entry whose index is new or whose term differs from ours; 0 if all are present. */
    long findConflict(List<Entry> batch) {
        for (Entry e : batch) {
            if (!matchTerm(e.index(), e.term())) {
                return e.index();
            }
        }
        return 0;
    }

    /**
     * The largest index at or below {@code index} whose term is at most {@code term}: every entry
     * after it certainly differs from a log whose entry at {@code index} has {@code term}.
     */
    long findConflictByTerm(long index, long term) {
        long i = Math.min(index, lastIndex());
        for (; i >= firstIndex(); i--) {
            if (term(i) <= term) {
                return i;
            }
        }
        return i; // firstIndex()-1: the snapshot, which matches any up-to-date log
    }

    long append(List<Entry> batch) {
        if (batch.isEmpty()) {
            return lastIndex();
        }
        if (batch.get(0).index() - 1 < committed) {
            throw new IllegalStateException("append at " + batch.get(0).index() + " below commit " + committed);
        }
        unstable.truncateAndAppend(batch);
        onAppend.accept(batch);
        return lastIndex();
    }

    void commitTo(long index) {
        if (index <= committed) {
            return;
        }
        if (index > lastIndex()) {
            throw new IllegalStateException("commit " + index + " past last index " + lastIndex());
        }
        committed = index;
    }

    void appliedTo(long index) {
        if (index > committed || index < applied) {
            throw new IllegalStateException("applied " + index + " outside [" + applied + ", " + committed + "]");
        }
        applied = index;
    }

    /** Entries from {@code lo} to the end, bounded by {@code maxBytes} (at least one). */
    List<Entry> entriesFrom(long lo, long maxBytes) {
        if (lo > lastIndex()) {
            return List.of();
        }
        return slice(lo, lastIndex() + 1, maxBytes);
    }

    /** Entries in [lo, hi) from storage then the unstable tail; at least one, then within maxBytes. */
    List<Entry> slice(long lo, long hi, long maxBytes) {
        if (lo < firstIndex()) {
            throw new LogUnavailableException("index " + lo + " compacted (first is " + firstIndex() + ")");
        }
        if (hi > lastIndex() + 1) {
            throw new LogUnavailableException("index " + (hi - 1) + " past last " + lastIndex());
        }
        List<Entry> out = new ArrayList<>();
        long budget = maxBytes;
        if (lo < unstable.offset) {
            List<Entry> stored = storage.entries(lo, Math.min(hi, unstable.offset), maxBytes);
            out.addAll(stored);
            long end = lo + stored.size();
            if (end < Math.min(hi, unstable.offset)) {
                return out; // the byte budget ran out inside the stable part
            }
            for (Entry e : stored) {
                budget -= e.sizeBytes();
            }
        }
        if (hi > unstable.offset) {
            for (Entry e : unstable.slice(Math.max(lo, unstable.offset), hi)) {
                if (!out.isEmpty() && e.sizeBytes() > budget) {
                    break;
                }
                budget -= e.sizeBytes();
                out.add(e);
            }
        }
        return out;
    }

    boolean hasNextCommittedEntries() {
        return unstable.snapshot == null && committed > Math.max(applied, firstIndex() - 1);
    }

    /** Committed entries not yet applied; none while a received snapshot awaits installation. */
    List<Entry> nextCommittedEntries() {
        if (!hasNextCommittedEntries()) {
            return List.of();
        }
        long lo = Math.max(applied + 1, firstIndex());
        return slice(lo, committed + 1, Long.MAX_VALUE);
    }

    /** Installs a leader's snapshot: the log now starts after it and it is committed (§7). */
    void restore(Snapshot snap) {
        committed = snap.meta().index();
        unstable.restore(snap);
    }

    /** The last index known durable (what the leader may count for itself toward a quorum). */
    long persistedLastIndex() {
        if (!unstable.entries.isEmpty() || unstable.snapshot != null) {
            return unstable.snapshot != null ? 0 : unstable.offset - 1;
        }
        return lastIndex();
    }
}
