package io.leifdb.raft.sim;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.Entry;
import io.leifdb.raft.HardState;
import io.leifdb.raft.Snapshot;
import io.leifdb.raft.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;

/**
 * One node's disk. Writes land in a volatile buffer and become durable only at {@link #sync()};
 * a crash keeps a prefix of the unsynced writes (possibly none), as a real disk with a write-back
 * cache may. The durable image is what a restarted node recovers from.
 */
final class SimDisk {
    /** One write, in the order it was issued. */
    sealed interface Write {
        /** A snapshot received from the leader: it replaces the whole log (§7). */
        record Install(Snapshot snapshot) implements Write {
        }

        /** A snapshot of our own state machine: entries after it stay, earlier ones go. */
        record Compact(Snapshot snapshot) implements Write {
        }

        /** Entries that overwrite the log from their first index on. */
        record Append(List<Entry> entries) implements Write {
            public Append {
                entries = List.copyOf(entries);
            }
        }

        record Hard(HardState state) implements Write {
        }

        /** The applied membership, which later snapshots record. */
        record Conf(ConfState conf) implements Write {
        }
    }

    private final ConfState bootstrap;
    private Snapshot snapshot;
    private final List<Entry> log = new ArrayList<>();
    /** The server's durable record that this disk lost acknowledged state (issue 12); survives crashes. */
    private boolean lostState;
    private HardState hardState = HardState.EMPTY;
    private ConfState conf;
    private final List<Write> unsynced = new ArrayList<>();
    private long syncs;
    /** The planted bug {@code RECOVERY_DROPS_SYNCED_RECORD}: recovery after a crash loses the last entry past the commit index. */
    private final boolean recoveryDropsSyncedRecord;

    /** A fresh disk of a node bootstrapped into {@code conf}: an empty snapshot at index 0 carries it. */
    SimDisk(ConfState conf, boolean recoveryDropsSyncedRecord) {
        this.recoveryDropsSyncedRecord = recoveryDropsSyncedRecord;
        this.bootstrap = conf;
        this.conf = conf;
        this.snapshot = new Snapshot(new SnapshotMeta(0, 0, conf), new byte[0]);
    }

    /** Erases everything, as a replaced or wiped disk: only the bootstrap membership and the loss marker remain. */
    void wipe() {
        snapshot = new Snapshot(new SnapshotMeta(0, 0, bootstrap), new byte[0]);
        log.clear();
        hardState = HardState.EMPTY;
        conf = bootstrap;
        unsynced.clear();
        lostState = true;
    }

    boolean lostState() {
        return lostState;
    }

    /** The server starts a wiped member at the term a majority of the others reported (durably, before the core). */
    void startAtTerm(long term) {
        hardState = new HardState(term, 0, 0);
    }

    /** The core caught the member up and that Ready is durable: the marker may go (never earlier). */
    void clearLostState() {
        lostState = false;
    }

    void write(Write w) {
        unsynced.add(w);
    }

    void sync() {
        for (Write w : unsynced) apply(w);
        unsynced.clear();
        syncs++;
    }

    int unsyncedCount() {
        return unsynced.size();
    }

    /** Loses all but the first {@code keep} unsynced writes. */
    void crash(int keep) {
        for (int i = 0; i < Math.min(keep, unsynced.size()); i++) apply(unsynced.get(i));
        unsynced.clear();
        if (recoveryDropsSyncedRecord && !log.isEmpty() && log.getLast().index() > hardState.commit()) log.removeLast();
    }

    Snapshot snapshot() {
        return snapshot;
    }

    /** Durable entries after the snapshot, in index order. */
    List<Entry> entries() {
        return List.copyOf(log);
    }

    HardState hardState() {
        return hardState;
    }

    /** The durable applied membership. */
    ConfState conf() {
        return conf;
    }

    /** The durable entry at {@code index}, or null when it is not in the log. */
    Entry entryAt(long index) {
        long i = index - snapshot.meta().index() - 1;
        return i >= 0 && i < log.size() ? log.get((int) i) : null;
    }

    long syncs() {
        return syncs;
    }

    private void apply(Write w) {
        switch (w) {
            case Write.Install i -> {
                // As MemoryStorage does: a snapshot no newer than ours changes nothing.
                if (i.snapshot().meta().index() <= snapshot.meta().index()) return;
                snapshot = i.snapshot();
                conf = snapshot.meta().conf();
                log.clear();
            }
            case Write.Compact c -> {
                long at = c.snapshot().meta().index();
                if (at <= snapshot.meta().index()) return;
                log.removeIf(e -> e.index() <= at);
                snapshot = c.snapshot();
            }
            case Write.Append a -> append(a.entries());
            case Write.Hard h -> hardState = h.state();
            case Write.Conf c -> conf = c.conf();
        }
    }

    private void append(List<Entry> entries) {
        if (entries.isEmpty()) return;
        long first = entries.getFirst().index();
        long base = snapshot.meta().index();
        if (first <= base) {
            throw new IllegalStateException("append at " + first + " overwrites snapshot at " + base);
        }
        long expected = base + log.size() + 1;
        if (first > expected) {
            throw new IllegalStateException("append at " + first + " leaves a gap after " + (expected - 1));
        }
        while (base + log.size() >= first) log.removeLast();
        log.addAll(entries);
    }
}
