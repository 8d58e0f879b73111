package io.leifdb.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory {@link LogStorage} for tests and the simulation. The driver writes to it what a
 * {@link Ready} asks to persist: {@link #applySnapshot}, then {@link #append}, then
 * {@link #setHardState}. Everything written counts as durable at once.
 */
public final class MemoryStorage implements LogStorage {
    private HardState hardState = HardState.EMPTY;
    private ConfState confState;
    private Snapshot snapshot;
    /** entries.get(0) is a placeholder holding the snapshot's index and term. */
    private final ArrayList<Entry> entries = new ArrayList<>();

    public MemoryStorage(ConfState initial) {
        this.confState = initial;
        this.snapshot = new Snapshot(new SnapshotMeta(0, 0, initial), new byte[0]);
        entries.add(Entry.noop(0, 0));
    }

    /** A copy holding the same durable state, for restarting a node in tests. */
    public synchronized MemoryStorage copy() {
        MemoryStorage c = new MemoryStorage(confState);
        c.hardState = hardState;
        c.snapshot = snapshot;
        c.entries.clear();
        c.entries.addAll(entries);
        return c;
    }

    @Override
    public synchronized HardState hardState() {
        return hardState;
    }

    public synchronized void setHardState(HardState hs) {
        this.hardState = hs;
    }

    @Override
    public synchronized ConfState confState() {
        return confState;
    }

    public synchronized void setConfState(ConfState conf) {
        this.confState = conf;
    }

    @Override
    public synchronized SnapshotMeta snapshotMeta() {
        return snapshot.meta();
    }

    @Override
    public synchronized Snapshot snapshot() {
        return snapshot;
    }

    @Override
    public synchronized long firstIndex() {
        return offset() + 1;
    }

    @Override
    public synchronized long lastIndex() {
        return offset() + entries.size() - 1;
    }

    @Override
    public synchronized long term(long index) {
        if (index < offset() || index > lastIndex()) {
            throw new LogUnavailableException("index " + index + " outside [" + offset() + ", " + lastIndex() + "]");
        }
        return entries.get((int) (index - offset())).term();
    }

    @Override
    public synchronized List<Entry> entries(long lo, long hi, long maxBytes) {
        if (lo <= offset() || hi > lastIndex() + 1 || lo > hi) {
            throw new LogUnavailableException("entries [" + lo + ", " + hi + ") outside [" + firstIndex()
                    + ", " + (lastIndex() + 1) + ")");
        }
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = lo; i < hi; i++) {
            Entry e = entries.get((int) (i - offset()));
            bytes += e.sizeBytes();
            if (!out.isEmpty() && bytes > maxBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    /** Appends entries, first dropping any stored suffix from the first new index on. */
    public synchronized void append(List<Entry> batch) {
        if (batch.isEmpty()) {
            return;
        }
        long first = batch.get(0).index();
        if (first > lastIndex() + 1) {
            throw new IllegalArgumentException("gap: appending " + first + " after " + lastIndex());
        }
        if (first <= offset()) {
            throw new IllegalArgumentException("appending " + first + " at or below the snapshot " + offset());
        }
        while (lastIndex() >= first) {
            entries.remove(entries.size() - 1);
        }
        entries.addAll(batch);
    }

    /** Replaces the whole log by a snapshot received from a leader (§7). Older snapshots are ignored. */
    public synchronized void applySnapshot(Snapshot snap) {
        if (snap.meta().index() <= snapshot.meta().index()) {
            return;
        }
        snapshot = snap;
        confState = snap.meta().conf();
        entries.clear();
        entries.add(Entry.noop(snap.meta().term(), snap.meta().index()));
    }

    /** Records a snapshot of the state machine at {@code index} (which must be applied) with the current membership. */
    public synchronized Snapshot createSnapshot(long index, byte[] data) {
        if (index <= snapshot.meta().index()) {
            return snapshot;
        }
        snapshot = new Snapshot(new SnapshotMeta(index, term(index), confState), data);
        return snapshot;
    }

    /** Drops entries up to and including {@code index}, which must be covered by {@link #createSnapshot}. */
    public synchronized void compact(long index) {
        if (index <= offset()) {
            return;
        }
        if (index > snapshot.meta().index()) {
            throw new IllegalArgumentException("compact " + index + " past the snapshot " + snapshot.meta().index());
        }
        int drop = (int) (index - offset());
        Entry boundary = entries.get(drop);
        entries.subList(0, drop + 1).clear();
        entries.add(0, Entry.noop(boundary.term(), boundary.index()));
    }

    private long offset() {
        return entries.get(0).index();
    }
}
