package io.leifdb.raft.driver;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.Entry;
import io.leifdb.raft.HardState;
import io.leifdb.raft.MemoryStorage;
import io.leifdb.raft.Snapshot;
import io.leifdb.raft.SnapshotMeta;

import java.util.List;

/**
 * A {@link LogStore} in memory, for benchmarks and tests of the driver: every write is at once as
 * durable as it will ever be, so {@link #sync()} has nothing to do. Not for a node that must survive
 * a restart; the simulation extends it with a disk that can lose unsynced writes.
 */
public class MemoryLog implements LogStore {
    private final MemoryStorage storage;

    public MemoryLog(MemoryStorage storage) {
        this.storage = storage;
    }

    private record Ticket(long lastIndex) implements SyncTicket {
        @Override
        public void force() {
        }
    }

    /** Drops the log through {@code index}, which the caller's state machine has applied. */
    public void compact(long index, byte[] snapshotData) {
        storage.createSnapshot(index, snapshotData);
        storage.compact(index);
    }

    @Override
    public void append(List<Entry> entries) {
        storage.append(entries);
    }

    @Override
    public void setHardState(HardState hs) {
        storage.setHardState(hs);
    }

    @Override
    public void setConfState(ConfState cs) {
        storage.setConfState(cs);
    }

    @Override
    public void applySnapshot(Snapshot snapshot) {
        storage.applySnapshot(snapshot);
    }

    @Override
    public void sync() {
    }

    @Override
    public SyncTicket startSync() {
        return new Ticket(storage.lastIndex());
    }

    @Override
    public void finishSync(SyncTicket ticket) {
    }

    @Override
    public HardState hardState() {
        return storage.hardState();
    }

    @Override
    public ConfState confState() {
        return storage.confState();
    }

    @Override
    public SnapshotMeta snapshotMeta() {
        return storage.snapshotMeta();
    }

    @Override
    public Snapshot snapshot() {
        return storage.snapshot();
    }

    @Override
    public long firstIndex() {
        return storage.firstIndex();
    }

    @Override
    public long lastIndex() {
        return storage.lastIndex();
    }

    @Override
    public long term(long index) {
        return storage.term(index);
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxBytes) {
        return storage.entries(lo, hi, maxBytes);
    }
}
