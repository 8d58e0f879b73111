package io.leifdb.server.storage;

import io.leifdb.raft.CodingParams;
import io.leifdb.raft.ConfState;
import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import io.leifdb.raft.HardState;
import io.leifdb.raft.SnapshotMeta;
import java.nio.ByteBuffer;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.zip.CRC32C;

/**
 * On-disk framing of one record: {@code [length u32][crc32c u32][type u8][payload]}, big-endian.
 * The CRC covers the length, the type and the payload, so a flipped length is caught as well.
 */
final class RecordCodec {
    static final int HEADER_BYTES = 9;
    /**
     * The smallest payload of any record (a membership with no members: two zero counts). A length
     * below it, zero in particular, is never a record, so the zeros of a preallocated segment
     * mark the end of its records unambiguously.
     */
    static final int MIN_PAYLOAD_BYTES = 8;
    /** An honest record is never larger; a bigger length is corruption, not a torn write. */
    static final int MAX_PAYLOAD_BYTES = 64 << 20;
    /** A sync mark: a header and two u32 offsets. */
    static final int SYNC_MARK_BYTES = HEADER_BYTES + 8;
    /** Payload bytes of an entry record besides its data: term, index, type. */
    static final int ENTRY_OVERHEAD = 17;
    private static final EntryType[] ENTRY_TYPES = EntryType.values();

    private RecordCodec() {
    }

    /** Size on disk of the record that holds {@code e}. */
    static int entryRecordBytes(Entry e) {
        return HEADER_BYTES + ENTRY_OVERHEAD + e.data().length;
    }

    /** Bytes {@link Entry#sizeBytes()} reports for an entry whose record is {@code recordBytes} long. */
    static long entrySizeFromRecord(int recordBytes) {
        return recordBytes - HEADER_BYTES - ENTRY_OVERHEAD + 24L;
    }

    static void putEntry(ByteBuffer out, Entry e) {
        putEntry(out, e, RecordType.ENTRY);
    }

    /** {@code type} is ENTRY or STAGED_ENTRY, which share the layout. */
    static void putEntry(ByteBuffer out, Entry e, RecordType type) {
        int start = begin(out, type);
        out.putLong(e.term()).putLong(e.index()).put((byte) e.type().ordinal()).put(e.data());
        finish(out, start);
    }

    static void putHardState(ByteBuffer out, HardState hs) {
        int start = begin(out, RecordType.HARD_STATE);
        out.putLong(hs.term()).putLong(hs.vote()).putLong(hs.commit());
        finish(out, start);
    }

    static void putConfState(ByteBuffer out, ConfState cs) {
        int start = begin(out, RecordType.CONF_STATE);
        putConf(out, cs);
        finish(out, start);
    }

    static void putSnapshot(ByteBuffer out, RecordType type, SnapshotMeta meta) {
        int start = begin(out, type);
        out.putLong(meta.index()).putLong(meta.term());
        putConf(out, meta.conf());
        finish(out, start);
    }

    static void putReplaceCommit(ByteBuffer out, long first, long last) {
        int start = begin(out, RecordType.REPLACE_COMMIT);
        out.putLong(first).putLong(last);
        finish(out, start);
    }

    /** {@code [at u32][synced u32]}: a segment is never over 2 GiB (recovery reads it into one buffer). */
    static void putSyncMark(ByteBuffer out, long at, long synced) {
        int start = begin(out, RecordType.SYNC_MARK);
        out.putInt((int) at).putInt((int) synced);
        finish(out, start);
    }

    static int replaceCommitRecordBytes() {
        return HEADER_BYTES + 16;
    }

    static int hardStateRecordBytes() {
        return HEADER_BYTES + 24;
    }

    static int confRecordBytes(ConfState cs) {
        return HEADER_BYTES + 8 + 8 * (cs.voters().size() + cs.learners().size())
                + (cs.coding() == null ? 0 : CodingParams.BYTES);
    }

    static int snapshotRecordBytes(SnapshotMeta meta) {
        return confRecordBytes(meta.conf()) + 16;
    }

    private static int begin(ByteBuffer out, RecordType type) {
        int start = out.position();
        out.position(start + 8).put(type.code);
        return start;
    }

    /** Back-fills length and CRC once the payload is known. */
    private static void finish(ByteBuffer out, int start) {
        int end = out.position();
        int payload = end - start - HEADER_BYTES;
        out.putInt(start, payload);
        out.putInt(start + 4, crc(out, start, payload));
    }

    /** CRC of a record whose header starts at {@code start} in {@code buf} (absolute, position untouched). */
    static int crc(ByteBuffer buf, int start, int payload) {
        CRC32C c = new CRC32C();
        c.update(buf.slice(start, 4));
        c.update(buf.slice(start + 8, 1 + payload));
        return (int) c.getValue();
    }

    private static void putConf(ByteBuffer out, ConfState cs) {
        out.putInt(cs.voters().size());
        for (long v : cs.voters()) out.putLong(v);
        out.putInt(cs.learners().size());
        for (long l : cs.learners()) out.putLong(l);
        if (cs.coding() != null) out.put(cs.coding().toBytes()); // CRaft's cluster state; older records end before it
    }

    // ---- decoding; payload buffers are positioned at the start of the payload ----

    static Entry entry(ByteBuffer p) {
        long term = p.getLong();
        long index = p.getLong();
        int type = p.get();
        if (type < 0 || type >= ENTRY_TYPES.length) throw new IllegalStateException("entry type " + type);
        byte[] data = new byte[p.remaining()];
        p.get(data);
        return new Entry(term, index, ENTRY_TYPES[type], data);
    }

    static HardState hardState(ByteBuffer p) {
        return new HardState(p.getLong(), p.getLong(), p.getLong());
    }

    static ConfState confState(ByteBuffer p) {
        SortedSet<Long> voters = readIds(p);
        SortedSet<Long> learners = readIds(p);
        return new ConfState(voters, learners, p.remaining() >= CodingParams.BYTES_V1 ? CodingParams.read(p) : null);
    }

    static SnapshotMeta snapshot(ByteBuffer p) {
        long index = p.getLong();
        long term = p.getLong();
        return new SnapshotMeta(index, term, confState(p));
    }

    /** Where the mark says it sits; recovery checks it against where it was found. */
    static long syncMarkAt(ByteBuffer p) {
        return Integer.toUnsignedLong(p.getInt(p.position()));
    }

    static long syncMarkSynced(ByteBuffer p) {
        return Integer.toUnsignedLong(p.getInt(p.position() + 4));
    }

    private static SortedSet<Long> readIds(ByteBuffer p) {
        int n = p.getInt();
        if (n < 0 || n > p.remaining() / 8) throw new IllegalStateException("member count " + n);
        SortedSet<Long> ids = new TreeSet<>();
        for (int i = 0; i < n; i++) ids.add(p.getLong());
        return ids;
    }
}
