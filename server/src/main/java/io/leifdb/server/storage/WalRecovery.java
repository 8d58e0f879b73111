package io.leifdb.server.storage;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.HardState;
import io.leifdb.raft.SnapshotMeta;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the log from the segment files: replays every record in write order, cuts a torn tail
 * off the last segment, and refuses (with file and offset) damage to bytes that were synced.
 *
 * <p>Segments are preallocated with zeros, so a segment's records normally end where nothing but
 * zeros follows; no record starts with a zero length, which makes that end unambiguous. Older
 * segments were fsynced when the log rolled past them, so any damage there is corruption. In the
 * last segment a power loss may keep any subset of the pages written since the last fsync, so a
 * damaged record may be followed by intact ones. The first damaged record is cut as a torn tail
 * unless an intact {@link RecordType#SYNC_MARK} after it says the bytes there had been synced:
 * then it is corruption. A mark is written only after the fsync it reports returned, so no power
 * loss can leave a genuine one claiming bytes it damaged.
 */
final class WalRecovery {
    private static final Logger log = LoggerFactory.getLogger(WalRecovery.class);

    final List<Segment> segments = new ArrayList<>();
    final LogIndex index = new LogIndex();
    HardState hardState = HardState.EMPTY;
    ConfState confState = SegmentedWal.NO_MEMBERS;
    SnapshotMeta snapshot = SegmentedWal.NO_SNAPSHOT;
    /** False until an entry or a snapshot fixes where the log starts; compaction may have deleted older segments. */
    private boolean startKnown;
    private Segment current;
    /** STAGED_ENTRY records not yet committed by a REPLACE_COMMIT; dropped if none follows. */
    private final List<Staged> staged = new ArrayList<>();

    private record Staged(long index, long term, Segment segment, long pos, int recordBytes) {
    }

    private WalRecovery() {
    }

    /** Opens and replays every segment in {@code dir}; the caller owns the returned segments. */
    static WalRecovery run(Path dir, ChannelFactory factory) throws IOException {
        WalRecovery r = new WalRecovery();
        discardSpare(dir);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> Segment.parseName(p) >= 0)
                    .sorted(Comparator.comparingLong(Segment::parseName))
                    .toList();
        }
        try {
            for (int i = 0; i < files.size(); i++) {
                Segment seg = Segment.open(factory, files.get(i));
                r.segments.add(seg);
                r.replay(seg, i == files.size() - 1);
            }
            if (!r.staged.isEmpty()) {
                log.warn("WAL: dropping an unfinished replacement of entries {}..{}; the old suffix stays",
                        r.staged.getFirst().index(), r.staged.getLast().index());
            }
            r.checkStart();
        } catch (IOException | RuntimeException e) {
            for (Segment seg : r.segments) {
                try {
                    seg.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return r;
    }

    /** A spare segment left by a crash may be half written; it holds no records, so it goes unread. */
    private static void discardSpare(Path dir) throws IOException {
        Path spare = dir.resolve(SpareSegment.FILE_NAME);
        if (Files.deleteIfExists(spare)) log.info("WAL: discarded the unfinished spare segment {}", spare);
    }

    private void replay(Segment seg, boolean last) throws IOException {
        current = seg;
        long size = seg.end();
        if (size > Integer.MAX_VALUE) throw new WalCorruptionException(seg.file(), 0, "segment of " + size + " bytes");
        ByteBuffer buf = seg.read(0, (int) size);
        int pos = 0;
        while (pos < size) {
            String problem = frameProblem(buf, pos);
            if (problem != null) {
                int dataEnd = dataEnd(buf, pos);
                if (dataEnd == pos) break; // only zeros left: the unused, preallocated rest of the segment
                if (!last) throw new WalCorruptionException(seg.file(), pos, problem);
                int mark = syncMarkPast(buf, pos, dataEnd);
                if (mark >= 0) {
                    throw new WalCorruptionException(seg.file(), pos, problem + ", yet the sync mark at byte offset "
                            + mark + " shows the segment was synced through byte " + syncedBy(buf, mark));
                }
                log.warn("WAL: cutting torn tail of {} at byte offset {} ({} bytes dropped: {}); "
                        + "no sync mark shows it was synced", seg.file(), pos, dataEnd - pos, problem);
                seg.erase(pos, dataEnd);
                return;
            }
            int payload = buf.getInt(pos);
            RecordType type = RecordType.of(buf.get(pos + 8));
            if (type == null) throw new WalCorruptionException(seg.file(), pos, "unknown record type " + buf.get(pos + 8));
            ByteBuffer body = buf.slice(pos + RecordCodec.HEADER_BYTES, payload);
            try {
                apply(type, body, pos, RecordCodec.HEADER_BYTES + payload);
            } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException | IllegalStateException e) {
                throw new WalCorruptionException(seg.file(), pos, "malformed " + type + " record: " + e.getMessage());
            }
            pos += RecordCodec.HEADER_BYTES + payload;
        }
        seg.recovered(pos);
    }

    /** Why the record at {@code pos} is not whole and intact, or null if it is. */
    private static String frameProblem(ByteBuffer buf, int pos) {
        int remaining = buf.limit() - pos;
        if (remaining < RecordCodec.HEADER_BYTES) return "incomplete record header";
        int payload = buf.getInt(pos);
        if (payload < RecordCodec.MIN_PAYLOAD_BYTES || payload > RecordCodec.MAX_PAYLOAD_BYTES) {
            return "impossible record length " + payload;
        }
        if (payload > remaining - RecordCodec.HEADER_BYTES) return "record of " + payload + " bytes runs past the end";
        if (RecordCodec.crc(buf, pos, payload) != buf.getInt(pos + 4)) return "checksum mismatch";
        return null;
    }

    /**
     * Offset of an intact sync mark after the bad record at {@code bad} (and before {@code dataEnd})
     * that claims bytes past {@code bad} were synced, or -1. Records after a bad one cannot be
     * found by their lengths, so every offset is tried; a mark must also name the offset it sits
     * at, so entry data that happens to hold a copy of one is not taken for it.
     */
    private static int syncMarkPast(ByteBuffer buf, int bad, int dataEnd) {
        for (int q = bad + 1; q + RecordCodec.SYNC_MARK_BYTES <= dataEnd; q++) {
            if (buf.get(q + 8) != RecordType.SYNC_MARK.code || buf.getInt(q) != RecordCodec.SYNC_MARK_BYTES - RecordCodec.HEADER_BYTES) {
                continue;
            }
            if (RecordCodec.crc(buf, q, buf.getInt(q)) != buf.getInt(q + 4)) continue;
            ByteBuffer body = buf.slice(q + RecordCodec.HEADER_BYTES, 8);
            if (RecordCodec.syncMarkAt(body) == q && syncedBy(buf, q) <= q && syncedBy(buf, q) > bad) return q;
        }
        return -1;
    }

    /** The durable length claimed by the sync mark at {@code mark}. */
    private static long syncedBy(ByteBuffer buf, int mark) {
        return RecordCodec.syncMarkSynced(buf.slice(mark + RecordCodec.HEADER_BYTES, 8));
    }

    /** One past the last non-zero byte at or after {@code from}; {@code from} if only zeros follow. */
    private static int dataEnd(ByteBuffer buf, int from) {
        int i = buf.limit();
        while (i - 8 >= from && buf.getLong(i - 8) == 0) i -= 8;
        while (i > from && buf.get(i - 1) == 0) i--;
        return i;
    }

    private void apply(RecordType type, ByteBuffer body, long pos, int recordBytes) {
        switch (type) {
            case ENTRY -> {
                staged.clear(); // a replacement cut short by a crash, which later writes went past
                applyEntry(body, pos, recordBytes);
            }
            case STAGED_ENTRY -> stage(body, pos, recordBytes);
            case REPLACE_COMMIT -> commitStaged(body.getLong(0), body.getLong(8), pos);
            case HARD_STATE -> hardState = RecordCodec.hardState(body);
            case CONF_STATE -> confState = RecordCodec.confState(body);
            case COMPACT -> applyCompact(RecordCodec.snapshot(body));
            case SYNC_MARK -> checkSyncMark(body, pos);
            case RESTORE -> {
                staged.clear();
                snapshot = RecordCodec.snapshot(body);
                confState = snapshot.conf();
                index.reset(snapshot.index() + 1);
                startKnown = true;
            }
        }
    }

    /** Holds a staged entry back, keeping the staged run contiguous like a log of its own. */
    private void stage(ByteBuffer body, long pos, int recordBytes) {
        checkEntryBody(body);
        long idx = body.getLong(8);
        if (!staged.isEmpty() && (idx <= staged.getFirst().index() || idx > staged.getLast().index() + 1)) {
            staged.clear(); // the start of a new replacement: an earlier one was cut short
        }
        while (!staged.isEmpty() && staged.getLast().index() >= idx) staged.removeLast();
        staged.add(new Staged(idx, body.getLong(0), current, pos, recordBytes));
    }

    /** The staged entries [first, last] take effect together, as one append would have. */
    private void commitStaged(long first, long last, long pos) {
        List<Staged> run = staged.stream().filter(s -> s.index() >= first && s.index() <= last).toList();
        if (run.size() != last - first + 1 || run.getFirst().index() != first) {
            throw new WalCorruptionException(current.file(), pos, "replacement of " + first + ".." + last
                    + " commits entries that were not all staged");
        }
        Segment commitSegment = current;
        for (Staged s : run) {
            current = s.segment();
            place(s.index(), s.term(), s.pos(), s.recordBytes());
        }
        current = commitSegment;
        staged.clear();
    }

    private static void checkEntryBody(ByteBuffer body) {
        if (body.limit() < RecordCodec.ENTRY_OVERHEAD) throw new IllegalStateException("short entry");
        if (body.get(16) < 0 || body.get(16) >= io.leifdb.raft.EntryType.values().length) {
            throw new IllegalStateException("entry type " + body.get(16));
        }
    }

    private void applyEntry(ByteBuffer body, long pos, int recordBytes) {
        checkEntryBody(body);
        place(body.getLong(8), body.getLong(0), pos, recordBytes);
    }

    private void place(long idx, long term, long pos, int recordBytes) {
        if (idx <= snapshot.index()) {
            throw new WalCorruptionException(current.file(), pos,
                    "entry " + idx + " lies inside the snapshot at " + snapshot.index());
        }
        if (!startKnown && index.isEmpty() && idx > index.first()) {
            index.reset(idx); // older segments were deleted by compaction; a COMPACT record below must cover the gap
        }
        startKnown = true;
        if (idx > index.last() + 1) {
            throw new WalCorruptionException(current.file(), pos, "entry " + idx + " leaves a gap after " + index.last());
        }
        if (idx < index.first()) {
            // Legal only while older segments are missing (deleted by compaction): the rewritten
            // entries lived there, and a COMPACT record still to come must reach the snapshot.
            if (index.first() == snapshot.index() + 1) {
                throw new WalCorruptionException(current.file(), pos, "entry " + idx + " rewrites below the log start " + index.first());
            }
            index.reset(idx);
        }
        if (idx <= index.last()) index.truncateFrom(idx); // a later write replaced the suffix (§5.3)
        index.add(idx, term, current, pos, recordBytes);
    }

    /** A mark that names another offset, or claims bytes after itself, was not written by this WAL. */
    private static void checkSyncMark(ByteBuffer body, long pos) {
        if (body.limit() != 8 || RecordCodec.syncMarkAt(body) != pos || RecordCodec.syncMarkSynced(body) > pos) {
            throw new IllegalStateException("sync mark does not match its place");
        }
    }

    private void applyCompact(SnapshotMeta meta) {
        if (meta.index() <= snapshot.index()) return; // a segment header repeating what is known
        snapshot = meta;
        if (index.isEmpty() || meta.index() >= index.last()) {
            // not startKnown: a segment header may say this although later entries begin further on
            index.reset(meta.index() + 1);
        } else {
            index.dropThrough(meta.index());
        }
    }

    private void checkStart() {
        if (index.isEmpty()) {
            index.reset(snapshot.index() + 1);
        } else if (index.first() != snapshot.index() + 1) {
            Segment seg = index.segment(index.first());
            throw new WalCorruptionException(seg.file(), index.offset(index.first()),
                    "log starts at index " + index.first() + " but the snapshot covers only up to "
                            + snapshot.index() + "; segments are missing");
        }
    }
}
