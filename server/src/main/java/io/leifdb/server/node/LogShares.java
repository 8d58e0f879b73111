package io.leifdb.server.node;

import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import io.leifdb.raft.LogStorage;
import io.leifdb.raft.LogUnavailableException;
import io.leifdb.raft.craft.Fragment;
import io.leifdb.server.kv.Command;
import io.leifdb.server.kv.Recode;
import io.leifdb.server.storage.StorageException;
import io.leifdb.server.transport.ShareSource.Share;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * CRaft reads: a member's share of a write found in its log rather than its store. A write that
 * a newer one replaced in the store, or that this member has not applied yet, is still in the
 * log until compaction, and (index, term) names one entry in every log (§5.3 log matching), so
 * whatever entry this log holds there, committed or not, is that write: whole, or as this
 * member's fragment. Reads the log, so only the thread that owns it may call {@link #find}.
 */
final class LogShares {
    private static final Logger log = LoggerFactory.getLogger(LogShares.class);

    private LogShares() {
    }

    /** The share of the put (or recode) of {@code key} at ({@code index}, {@code term}) in {@code wal}, or null. */
    static Share find(LogStorage wal, String key, long index, long term) {
        try {
            if (index < wal.firstIndex() || index > wal.lastIndex() || wal.term(index) != term) return null;
            List<Entry> found = wal.entries(index, index + 1, Long.MAX_VALUE);
            if (found.isEmpty()) return null;
            Entry e = found.getFirst();
            if (e.index() != index || e.term() != term) return null;
            Recode recode = Recode.of(e);
            if (recode != null) {
                if (!recode.key().equals(key)) return null;
                return e.type() == EntryType.FRAGMENT ? new Share(false, e.data()) : new Share(true, recode.value());
            }
            if (e.type() == EntryType.FRAGMENT) {
                Fragment f = Fragment.fromBytes(e.data());
                Command.Put put = Command.decodeClear(f.clear(), f.codedLength());
                return put.key().equals(key) ? new Share(false, e.data()) : null;
            }
            if (e.type() != EntryType.NORMAL) return null;
            return Command.decode(e.data()) instanceof Command.Put put && put.key().equals(key)
                    ? new Share(true, put.value()) : null;
        } catch (LogUnavailableException | IllegalArgumentException gone) {
            return null; // compacted meanwhile, or not a put: nothing to give
        } catch (StorageException e) {
            // A share is an optimisation for a reader elsewhere; the driver's own writes report real damage.
            log.warn("cannot read entry {} for a share of {}: {}", index, key, e.getMessage());
            return null;
        }
    }
}
