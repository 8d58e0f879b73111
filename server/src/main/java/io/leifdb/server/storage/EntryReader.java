package io.leifdb.server.storage;

import io.leifdb.raft.Entry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves {@code entries(lo, hi, maxBytes)}: from the cache when it can, otherwise with one
 * positional read per run of entries that sit together in a segment. Every record read from disk
 * is checked against its CRC again, so damage after start-up is reported, not returned.
 */
final class EntryReader {
    /** Caps one read so a huge maxBytes does not allocate a huge buffer. */
    private static final int MAX_READ_BYTES = 8 << 20;

    private final LogIndex index;
    private final EntryCache cache;

    EntryReader(LogIndex index, EntryCache cache) {
        this.index = index;
        this.cache = cache;
    }

    /** Entries in [lo, hi), which the caller checked lie in the log; at least one unless lo == hi. */
    List<Entry> read(long lo, long hi, long maxBytes) {
        long end = lo;
        long total = 0;
        while (end < hi) {
            long size = RecordCodec.entrySizeFromRecord(index.length(end));
            if (end > lo && total + size > maxBytes) break;
            total += size;
            end++;
        }
        List<Entry> out = new ArrayList<>((int) (end - lo));
        long i = lo;
        while (i < end) {
            Entry cached = cache.get(i);
            if (cached != null) {
                out.add(cached);
                i++;
                continue;
            }
            long runEnd = runEnd(i, end);
            readRun(i, runEnd, out);
            i = runEnd;
        }
        return out;
    }

    /** End (exclusive) of the run from {@code i} that is uncached, in one segment and within one read. */
    private long runEnd(long i, long end) {
        Segment seg = index.segment(i);
        long start = index.offset(i);
        long j = i + 1;
        while (j < end && index.segment(j) == seg && cache.get(j) == null
                && index.offset(j) + index.length(j) - start <= MAX_READ_BYTES) {
            j++;
        }
        return j;
    }

    private void readRun(long from, long to, List<Entry> out) {
        Segment seg = index.segment(from);
        long start = index.offset(from);
        long last = to - 1;
        int len = (int) (index.offset(last) + index.length(last) - start);
        ByteBuffer buf;
        try {
            buf = seg.read(start, len);
        } catch (IOException e) {
            throw new StorageException("I/O error reading " + seg.file() + " at offset " + start + ": " + e.getMessage(), e);
        }
        for (long k = from; k < to; k++) {
            int rel = (int) (index.offset(k) - start);
            out.add(decode(seg, buf, rel, index.offset(k), k));
        }
    }

    private static Entry decode(Segment seg, ByteBuffer buf, int rel, long offset, long expected) {
        int payload = buf.getInt(rel);
        if (payload < RecordCodec.ENTRY_OVERHEAD || rel + RecordCodec.HEADER_BYTES + payload > buf.limit()
                || RecordCodec.crc(buf, rel, payload) != buf.getInt(rel + 4)
                || (buf.get(rel + 8) != RecordType.ENTRY.code && buf.get(rel + 8) != RecordType.STAGED_ENTRY.code)) {
            throw new WalCorruptionException(seg.file(), offset, "entry " + expected + " no longer reads back intact");
        }
        Entry e;
        try {
            e = RecordCodec.entry(buf.slice(rel + RecordCodec.HEADER_BYTES, payload));
        } catch (IllegalStateException ex) {
            throw new WalCorruptionException(seg.file(), offset, ex.getMessage());
        }
        if (e.index() != expected) {
            throw new WalCorruptionException(seg.file(), offset, "expected entry " + expected + ", found " + e.index());
        }
        return e;
    }
}
