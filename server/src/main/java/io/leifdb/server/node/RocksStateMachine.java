package io.leifdb.server.node;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.ConfStateCodec;
import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import io.leifdb.raft.Snapshot;
import io.leifdb.raft.SnapshotMeta;
import io.leifdb.raft.driver.StateMachine;
import io.leifdb.server.kv.AddressBook;
import io.leifdb.server.kv.ApplyResult;
import io.leifdb.server.kv.KvStore;
import io.leifdb.server.kv.SnapshotInfo;
import io.leifdb.server.kv.SnapshotStore;
import io.leifdb.server.storage.SegmentedWal;
import io.leifdb.server.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * The applied side of the node: the RocksDB key-value store, its snapshots, and the rule for
 * when to snapshot and compact the log (log bytes since the last snapshot past the threshold).
 * Called only from the driver thread, except reads of the store, which are thread-safe.
 */
final class RocksStateMachine implements StateMachine<ApplyResult.Outcome> {
    private static final Logger log = LoggerFactory.getLogger(RocksStateMachine.class);

    private final KvStore kv;
    private final SnapshotStore snapshots;
    private final SegmentedWal wal;
    private final long snapshotThreshold;
    private final int retain;
    /** Snapshots taken and installed, for /metrics. */
    final SnapshotStats stats = new SnapshotStats();
    /** Told on the driver thread whenever an apply or an installed snapshot changes the address book. */
    private final Consumer<AddressBook> onAddresses;
    private AddressBook addresses;
    /** CRaft: this member's fragment id under a membership's voters (negative: none), for what an install keeps. */
    private final ToIntFunction<ConfState> ownFragment;
    /** Told on the driver thread of every membership applied, in log order: {@link JoinMarker#applied}. */
    private final Consumer<ConfState> onConf;

    RocksStateMachine(KvStore kv, SnapshotStore snapshots, SegmentedWal wal, long snapshotThreshold, int retain) {
        this(kv, snapshots, wal, snapshotThreshold, retain, book -> { }, conf -> -1, conf -> { });
    }

    RocksStateMachine(KvStore kv, SnapshotStore snapshots, SegmentedWal wal, long snapshotThreshold, int retain,
                      Consumer<AddressBook> onAddresses, ToIntFunction<ConfState> ownFragment, Consumer<ConfState> onConf) {
        this.onAddresses = onAddresses;
        this.ownFragment = ownFragment;
        this.onConf = onConf;
        this.addresses = kv.addresses();
        this.kv = kv;
        this.snapshots = snapshots;
        this.wal = wal;
        this.snapshotThreshold = snapshotThreshold;
        this.retain = retain;
    }

    @Override
    public long appliedIndex() {
        return kv.appliedIndex();
    }

    @Override
    public List<ApplyResult.Outcome> apply(List<Entry> committed) {
        try {
            List<ApplyResult.Outcome> byIndex = kv.apply(committed).outcomes();
            List<ApplyResult.Outcome> out = new ArrayList<>(committed.size());
            int j = 0;
            for (Entry e : committed) {
                ApplyResult.Outcome o = null;
                if (j < byIndex.size() && byIndex.get(j).index() == e.index()) o = byIndex.get(j++);
                out.add(o);
            }
            addressesMayHaveChanged();
            for (Entry e : committed) {
                if (e.type() == EntryType.CONFIG) onConf.accept(ConfStateCodec.decode(e.data()));
            }
            return out;
        } catch (IOException e) {
            throw new StorageException("applying entries " + committed.get(0).index() + "..: " + e.getMessage(), e);
        }
    }

    /** Replaces the state with the received snapshot the core accepted (§7). */
    @Override
    public void installSnapshot(Snapshot snapshot) {
        SnapshotMeta meta = snapshot.meta();
        try {
            Optional<SnapshotInfo> match = snapshots.list().stream()
                    .filter(s -> s.index() == meta.index() && s.term() == meta.term())
                    .findFirst();
            if (match.isEmpty()) {
                throw new StorageException("snapshot " + meta.index() + "-" + meta.term() + " was accepted but is not staged");
            }
            snapshots.install(match.get(), ownFragment); // replaces the stored snapshot too if it keeps a share
            stats.installed(match.get().sizeBytes());
            addressesMayHaveChanged();
            onConf.accept(meta.conf());
            log.info("installed snapshot at index {} term {}", meta.index(), meta.term());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void addressesMayHaveChanged() {
        AddressBook now = kv.addresses();
        if (now != addresses) {
            addresses = now;
            onAddresses.accept(now);
        }
    }

    /** Takes a snapshot and compacts the log once enough log has accumulated since the last one. */
    @Override
    public void maybeSnapshot() {
        if (wal.logBytes() < snapshotThreshold) return;
        long index = kv.appliedIndex();
        long term = kv.appliedTerm();
        if (index < wal.firstIndex()) return; // nothing applied past the last compaction yet
        long start = System.nanoTime();
        try {
            // The applied membership (the WAL's, set when a CONFIG entry applies), never the core's, which
            // switches on append and may hold a configuration entry that is later truncated.
            ConfState cs = wal.confState();
            SnapshotInfo info = snapshots.take(index, term, ConfStateCodec.encode(cs));
            wal.compact(new SnapshotMeta(index, term, cs));
            wal.sync();
            snapshots.retain(retain);
            kv.compact(); // RocksDB keeps overwritten versions until compaction; the disk must stay bounded
            stats.taken(info.sizeBytes(), System.nanoTime() - start);
            log.info("snapshot at index {} term {} ({} bytes); log compacted", index, term, info.sizeBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
