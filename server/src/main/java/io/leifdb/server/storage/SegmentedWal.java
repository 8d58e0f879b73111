package io.leifdb.server.storage;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.Entry;
import io.leifdb.raft.HardState;
import io.leifdb.raft.LogUnavailableException;
import io.leifdb.raft.Snapshot;
import io.leifdb.raft.SnapshotMeta;
import io.leifdb.raft.driver.LogStore;
import io.leifdb.raft.driver.SyncTicket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable Raft log: entries, hard state, membership and snapshot marks in one segmented,
 * CRC32C-checked record stream, so that one fsync covers a whole Ready (group commit).
 *
 * <p>Contract: writes ({@link #append}, {@link #setHardState}, {@link #setConfState},
 * {@link #compact}, {@link #applySnapshot}) reach the operating system at once and are visible
 * to reads at once, but are durable only when {@link #sync} returns. An I/O failure throws
 * {@link StorageException} and leaves the log closed for writing: what was synced before stays
 * intact, and reopening recovers it. Not thread-safe: the node's driver thread makes every call.
 *
 * <p>A rewrite of index i (a follower's conflicting suffix, §5.3) is appended as a new record;
 * replay lets the later record win and drops everything after it, so no synced byte is ever
 * overwritten in place.
 */
public final class SegmentedWal implements LogStore, AutoCloseable {
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    public static final long DEFAULT_CACHE_BYTES = 16L << 20;
    static final ConfState NO_MEMBERS = ConfState.of(Set.of());
    static final SnapshotMeta NO_SNAPSHOT = new SnapshotMeta(0, 0, NO_MEMBERS);
    private static final Logger log = LoggerFactory.getLogger(SegmentedWal.class);
    private static final int FLUSH_BYTES = 1 << 20;

    private final WalDirectory dir;
    private final long segmentBytes;
    /** The next segment, preallocated in the background while the active one fills. */
    private final SpareSegment spare;
    /** Oldest first; the last one is the active segment that takes writes. */
    private final List<Segment> segments;
    /** Segments no longer needed, deleted once the record that retired them is synced. */
    private final List<Segment> retired = new ArrayList<>();
    private final LogIndex index;
    private final EntryCache cache;
    private final EntryReader reader;
    private final WalStats stats = new WalStats();
    private HardState hardState;
    private ConfState confState;
    private SnapshotMeta snapshot;
    private Segment active;
    /** Size of the active segment once its state header was written; rolling an emptier one gains nothing. */
    private long activeHeaderEnd;
    /** Bytes of the active segment known durable; a failed write is cut back to here. */
    private long activeSynced;
    /**
     * The durable length the last sync mark of the active segment claimed ({@code <= activeSynced}).
     * When a sync moves activeSynced past it, the next record written is preceded by a new mark.
     */
    private long markedSynced;
    /** A {@link SyncTicket} failed to force on another thread: nothing it covered may be acknowledged. */
    private volatile IOException ticketFailure;
    private ByteBuffer buf = ByteBuffer.allocate(64 << 10);
    private StorageException failure;
    private boolean closed;

    private SegmentedWal(WalDirectory dir, SpareSegment spare, long segmentBytes, long cacheBytes,
                         WalRecovery recovered) {
        this.dir = dir;
        this.spare = spare;
        this.segmentBytes = segmentBytes;
        this.segments = recovered.segments;
        this.index = recovered.index;
        this.cache = new EntryCache(cacheBytes);
        this.reader = new EntryReader(index, cache);
        this.hardState = recovered.hardState;
        this.confState = recovered.confState;
        this.snapshot = recovered.snapshot;
    }

    /** Opens (creating if needed) the WAL in directory {@code dir}, with 64 MiB segments. */
    public static SegmentedWal open(Path dir) {
        return open(dir, DEFAULT_SEGMENT_BYTES, DEFAULT_CACHE_BYTES);
    }

    /**
     * Opens the WAL in {@code dir}, recovering what a crash left: a torn tail is cut (logged at
     * WARN); damage anywhere else throws {@link WalCorruptionException}.
     */
    public static SegmentedWal open(Path dir, long segmentBytes, long cacheBytes) {
        return open(dir, segmentBytes, cacheBytes, ChannelFactory.DEFAULT);
    }

    static SegmentedWal open(Path dir, long segmentBytes, long cacheBytes, ChannelFactory factory) {
        return open(dir, segmentBytes, cacheBytes, factory, null);
    }

    /**
     * As above, with spare segments prepared on {@code spareExecutor} (not owned), or on a daemon
     * thread of the WAL's own if it is null. Tests pass an executor to fix when preallocation runs.
     */
    static SegmentedWal open(Path dir, long segmentBytes, long cacheBytes, ChannelFactory factory,
                             Executor spareExecutor) {
        if (segmentBytes < 4096) throw new IllegalArgumentException("segmentBytes " + segmentBytes + " < 4096");
        if (cacheBytes < 0) throw new IllegalArgumentException("cacheBytes " + cacheBytes + " < 0");
        WalDirectory locked = WalDirectory.lock(dir);
        SpareSegment spare = null;
        SegmentedWal wal = null;
        try {
            spare = spareExecutor == null
                    ? SpareSegment.background(factory, dir, segmentBytes)
                    : SpareSegment.on(spareExecutor, factory, dir, segmentBytes);
            wal = new SegmentedWal(locked, spare, segmentBytes, cacheBytes, WalRecovery.run(dir, factory));
            wal.start();
            return wal;
        } catch (IOException e) {
            StorageException error = new StorageException("cannot open WAL in " + dir + ": " + e.getMessage(), e);
            abandon(locked, spare, wal, error);
            throw error;
        } catch (RuntimeException e) {
            abandon(locked, spare, wal, e);
            throw e;
        }
    }

    private static void abandon(WalDirectory locked, SpareSegment spare, SegmentedWal wal, RuntimeException error) {
        if (spare != null) closeQuietly(spare, error);
        if (wal != null) wal.closeSegments(error);
        closeQuietly(locked, error);
    }

    /** Makes sure the active segment opens with the full state, so every older segment may go. */
    private void start() throws IOException {
        if (segments.isEmpty()) {
            active = spare.take(snapshot.index() + 1); // nothing to overlap with yet: filled here
            segments.add(active);
            dir.fsync();
        } else {
            active = segments.get(segments.size() - 1);
        }
        spare.prepare();
        activeSynced = active.end(); // a failed header write must not cut what recovery kept
        markedSynced = activeSynced; // but no mark may claim it before the force below
        writeStateHeader();
        flush();
        active.force();
        activeHeaderEnd = active.end();
        activeSynced = active.end();
        publishStats();
    }

    // ---------------------------------------------------------------- writes

    /**
     * Appends {@code entries} (consecutive indexes). An index at or below {@link #lastIndex()}
     * replaces the log from there on; entries already inside the snapshot are skipped. A
     * replacement is atomic across a crash: recovery finds either the old suffix or all of
     * {@code entries} (CRaft re-writes acknowledged entries behind an upgraded fragment).
     */
    @Override
    public void append(List<Entry> entries) {
        checkWritable();
        int from = validate(entries);
        if (from == entries.size()) return;
        long first = entries.get(from).index();
        boolean replace = first <= index.last();
        if (replace) {
            index.truncateFrom(first);
            cache.truncateFrom(first);
        }
        RecordType type = replace ? RecordType.STAGED_ENTRY : RecordType.ENTRY;
        for (int i = from; i < entries.size(); i++) {
            Entry e = entries.get(i);
            int bytes = RecordCodec.entryRecordBytes(e);
            long end = active.end() + buf.position();
            if (end + bytes + markBytesDue() > segmentBytes && end > activeHeaderEnd) {
                flush();
                roll(e.index());
            }
            reserve(bytes);
            long offset = active.end() + buf.position();
            RecordCodec.putEntry(buf, e, type);
            index.add(e.index(), e.term(), active, offset, bytes);
            cache.add(e);
            if (buf.position() >= FLUSH_BYTES) flush();
        }
        if (replace) {
            reserve(RecordCodec.replaceCommitRecordBytes());
            RecordCodec.putReplaceCommit(buf, first, entries.getLast().index());
        }
        flush();
    }

    /** Index in {@code entries} of the first entry past the snapshot; throws on a malformed batch. */
    private int validate(List<Entry> entries) {
        int from = 0;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (i > 0 && e.index() != entries.get(i - 1).index() + 1) {
                throw new IllegalArgumentException("entries not consecutive at index " + e.index());
            }
            if (e.data().length > RecordCodec.MAX_PAYLOAD_BYTES - RecordCodec.ENTRY_OVERHEAD) {
                throw new IllegalArgumentException("entry " + e.index() + " of " + e.data().length + " bytes is too large");
            }
            if (e.index() <= snapshot.index()) from = i + 1;
        }
        if (from < entries.size() && entries.get(from).index() > index.last() + 1) {
            throw new IllegalArgumentException("entry " + entries.get(from).index()
                    + " would leave a gap after last index " + index.last());
        }
        return from;
    }

    @Override
    public void setHardState(HardState hs) {
        checkWritable();
        if (hs.equals(hardState)) return;
        reserve(RecordCodec.hardStateRecordBytes());
        RecordCodec.putHardState(buf, hs);
        // Left buffered: the next append or sync writes it in the same system call.
        hardState = hs;
    }

    @Override
    public void setConfState(ConfState cs) {
        checkWritable();
        if (cs.equals(confState)) return;
        reserve(RecordCodec.confRecordBytes(cs));
        RecordCodec.putConfState(buf, cs);
        flush();
        confState = cs;
    }

    /** One fsync of everything written so far (group commit); then deletes segments compaction retired. */
    @Override
    public void sync() {
        checkWritable();
        flush();
        long start = System.nanoTime();
        try {
            active.force();
        } catch (IOException e) {
            throw fail("syncing", e);
        }
        stats.fsynced(System.nanoTime() - start);
        activeSynced = active.end();
        deleteRetired();
        publishStats();
    }

    /**
     * Writes out what is buffered and returns a ticket whose {@link SyncTicket#force()} makes
     * everything written so far durable, from any thread, while this log goes on taking appends.
     * The owner reports the outcome with {@link #finishSync}. Thesis §10.2.1: a leader's own
     * fsync need not hold up its replication.
     */
    @Override
    public SyncTicket startSync() {
        checkWritable();
        flush();
        return new WalSyncTicket(active, active.end(), index.last(), this::ticketFailed, stats);
    }

    /**
     * A ticket from {@link #startSync} was forced: what it covered is durable. Throws instead if
     * any ticket's force failed, since a failed fsync may have dropped pages written before it.
     */
    @Override
    public void finishSync(SyncTicket done) {
        checkWritable();
        WalSyncTicket ticket = (WalSyncTicket) done;
        if (ticket.segment == active) activeSynced = Math.max(activeSynced, ticket.end);
        deleteRetired();
        publishStats();
    }

    /** Its work so far, for /metrics; safe to read from any thread. */
    public WalStats stats() {
        return stats;
    }

    private void publishStats() {
        stats.publish(index.bytes(), segments.size());
    }

    /**
     * Drops the log up to and including {@code meta.index()}, which a snapshot now covers (§7);
     * {@link #term} of that index stays answerable from {@code meta}. Whole segments below it
     * are deleted at the next {@link #sync}.
     */
    public void compact(SnapshotMeta meta) {
        checkWritable();
        if (meta.index() <= snapshot.index()) return;
        if (meta.index() > index.last()) {
            throw new IllegalArgumentException("cannot compact to " + meta.index() + " past last index " + index.last());
        }
        if (index.term(meta.index()) != meta.term()) {
            throw new IllegalArgumentException("snapshot term " + meta.term() + " at index " + meta.index()
                    + " disagrees with the log's term " + index.term(meta.index()));
        }
        reserve(RecordCodec.snapshotRecordBytes(meta));
        RecordCodec.putSnapshot(buf, RecordType.COMPACT, meta);
        flush();
        snapshot = meta;
        index.dropThrough(meta.index());
        cache.dropThrough(meta.index());
        retireBefore(index.isEmpty() ? active : index.segment(index.first()));
    }

    /**
     * Installs a snapshot received from the leader (§7): every entry is discarded and the log
     * continues at {@code meta.index() + 1}, with {@code meta.conf()} as the membership.
     */
    @Override
    public void applySnapshot(Snapshot received) {
        applySnapshot(received.meta());
    }

    /** As {@link #applySnapshot(Snapshot)}: the snapshot's files travel beside the log, never in it. */
    public void applySnapshot(SnapshotMeta meta) {
        checkWritable();
        if (meta.index() <= snapshot.index()) {
            throw new IllegalArgumentException("snapshot at " + meta.index() + " is not newer than " + snapshot.index());
        }
        reserve(RecordCodec.snapshotRecordBytes(meta));
        RecordCodec.putSnapshot(buf, RecordType.RESTORE, meta);
        flush();
        snapshot = meta;
        confState = meta.conf();
        index.reset(meta.index() + 1);
        cache.clear();
        roll(meta.index() + 1);
        retireBefore(active);
    }

    /** Bytes of entry records in the log, i.e. written since the last snapshot; survives restarts. */
    public long logBytes() {
        return index.bytes();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        RuntimeException error = null;
        closeQuietly(spare, null);
        try {
            if (failure == null && ticketFailure == null) {
                flush();
                active.force();
                activeSynced = active.end();
                if (activeSynced > markedSynced) { // a mark covering everything: a clean stop leaves no doubt
                    reserve(0);
                    flush();
                    active.force();
                }
                deleteRetired();
            }
        } catch (IOException e) {
            error = new StorageException("I/O error syncing " + active.file() + " on close: " + e.getMessage(), e);
        } catch (StorageException e) {
            error = e; // the buffered tail could not be written
        }
        closeSegments(error);
        closeQuietly(dir, error);
        if (error != null) throw error;
    }

    // ---------------------------------------------------------------- reads (LogStorage)

    @Override
    public HardState hardState() {
        return hardState;
    }

    @Override
    public ConfState confState() {
        return confState;
    }

    @Override
    public SnapshotMeta snapshotMeta() {
        return snapshot;
    }

    @Override
    public long firstIndex() {
        return snapshot.index() + 1;
    }

    @Override
    public long lastIndex() {
        return index.last();
    }

    @Override
    public long term(long i) {
        if (i == snapshot.index()) return snapshot.term();
        if (i < index.first() || i > index.last()) {
            throw new LogUnavailableException("no term for index " + i + ": log holds "
                    + snapshot.index() + ".." + index.last());
        }
        return index.term(i);
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxBytes) {
        if (closed) throw new IllegalStateException("WAL is closed");
        if (lo < firstIndex()) {
            throw new LogUnavailableException("entries from " + lo + " are compacted; log starts at " + firstIndex());
        }
        if (hi > lastIndex() + 1) {
            throw new LogUnavailableException("entries up to " + (hi - 1) + " asked; last index is " + lastIndex());
        }
        if (lo > hi) throw new IllegalArgumentException("lo " + lo + " > hi " + hi);
        return reader.read(lo, hi, maxBytes);
    }

    // ---------------------------------------------------------------- internals

    private void writeStateHeader() {
        if (snapshot.index() > 0) {
            reserve(RecordCodec.snapshotRecordBytes(snapshot));
            RecordCodec.putSnapshot(buf, RecordType.COMPACT, snapshot);
        }
        if (!confState.equals(NO_MEMBERS)) {
            reserve(RecordCodec.confRecordBytes(confState));
            RecordCodec.putConfState(buf, confState);
        }
        if (!hardState.equals(HardState.EMPTY)) {
            reserve(RecordCodec.hardStateRecordBytes());
            RecordCodec.putHardState(buf, hardState);
        }
    }

    /**
     * Seals the active segment (fsynced, so recovery may treat damage there as corruption) and
     * starts the next from the spare, whose successor is then prepared in the background.
     */
    private void roll(long nextIndex) {
        try {
            active.force();
        } catch (IOException e) {
            throw fail("sealing", e);
        }
        active.seal();
        Segment next;
        try {
            next = spare.take(Math.max(nextIndex, active.name() + 1));
        } catch (IOException e) {
            throw fail("preallocating the segment after", e);
        }
        segments.add(next);
        active = next;
        activeSynced = 0;
        markedSynced = 0;
        try {
            dir.fsync();
        } catch (IOException e) {
            throw fail("creating", e);
        }
        spare.prepare();
        writeStateHeader();
        flush();
        activeHeaderEnd = active.end();
    }

    private void retireBefore(Segment keep) {
        for (Segment s : segments) {
            if (s == keep || s == active) break;
            if (!retired.contains(s)) retired.add(s);
        }
    }

    private void deleteRetired() {
        if (retired.isEmpty()) return;
        try {
            for (var it = retired.iterator(); it.hasNext(); ) {
                Segment s = it.next();
                s.delete();
                segments.remove(s);
                it.remove();
            }
            dir.fsync();
        } catch (IOException e) {
            // Not fatal: the records that retired these segments are synced, so replay ignores them.
            log.warn("WAL: could not delete retired segment; will retry after the next sync: {}", e.toString());
        }
    }

    /**
     * Makes room for a record of {@code bytes} and, first after a sync, writes the sync mark into
     * the same buffer: no write call or fsync of its own, {@value RecordCodec#SYNC_MARK_BYTES} bytes per sync.
     */
    private void reserve(int bytes) {
        int need = bytes + markBytesDue();
        if (buf.remaining() < need) {
            flush();
            if (buf.capacity() < need) buf = ByteBuffer.allocate(need);
        }
        if (activeSynced > markedSynced) {
            RecordCodec.putSyncMark(buf, active.end() + buf.position(), activeSynced);
            markedSynced = activeSynced;
        }
    }

    private int markBytesDue() {
        return activeSynced > markedSynced ? RecordCodec.SYNC_MARK_BYTES : 0;
    }

    private void flush() {
        if (buf.position() == 0) return;
        buf.flip();
        stats.wrote(buf.remaining());
        try {
            active.append(buf);
        } catch (IOException e) {
            throw fail("writing", e);
        } finally {
            buf.clear();
        }
    }

    /** Marks the log failed and cuts the active segment back to what was synced, partial records included. */
    private StorageException fail(String action, IOException e) {
        String what = String.valueOf(e.getMessage()).contains("No space left") ? "disk full " : "I/O error ";
        failure = new StorageException(what + action + " " + active.file() + ": " + e.getMessage()
                + "; the WAL accepts no more writes, reopen it to recover the synced log", e);
        try {
            active.truncate(activeSynced);
        } catch (IOException suppressed) {
            failure.addSuppressed(suppressed);
        }
        return failure;
    }

    /** Called by a ticket's force on the syncing thread; the owner fails at its next call. */
    private void ticketFailed(IOException e) {
        ticketFailure = e;
    }

    private void checkWritable() {
        if (closed) throw new IllegalStateException("WAL is closed");
        IOException async = ticketFailure;
        if (failure == null && async != null) throw fail("syncing", async);
        if (failure != null) throw new StorageException("WAL unusable after an earlier failure: " + failure.getMessage(), failure);
    }

    private void closeSegments(RuntimeException error) {
        for (Segment s : segments) {
            try {
                s.close();
            } catch (IOException e) {
                if (error != null) error.addSuppressed(e);
            }
        }
    }

    private static void closeQuietly(AutoCloseable c, Exception error) {
        try {
            c.close();
        } catch (Exception e) {
            if (error != null) error.addSuppressed(e);
            else log.warn("WAL: could not close {}: {}", c, e.toString());
        }
    }
}
