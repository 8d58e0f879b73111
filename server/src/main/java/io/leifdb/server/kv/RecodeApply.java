package io.leifdb.server.kv;

import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import io.leifdb.raft.craft.Fragment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Applies a {@link Recode} entry: while the key still holds the revision it names, the stored
 * share is replaced by this replica's share of the recode entry (its fragment, or the value whole)
 * and the revisions, version and value stay, so no watcher, ETag or compare sees a change. The
 * verdict depends only on the key's revision, which every replica shares at this index, so all
 * replicas take the same one. The watch history's record of that put takes the same share
 * ({@link History#recoded}), so a fragment's saving is not undone by a whole copy kept there. A stale
 * recode (the key was written or deleted since) changes nothing.
 */
final class RecodeApply {
    private RecodeApply() {
    }

    /** Whether {@code e} is a recode, whole or as a fragment. */
    static boolean isRecode(Entry e) {
        if (e.type() == EntryType.NORMAL) return Recode.isRecode(e.data());
        if (e.type() != EntryType.FRAGMENT) return false;
        try {
            return Recode.isRecode(Fragment.fromBytes(e.data()).clear());
        } catch (IllegalArgumentException malformed) {
            return false; // the command path rejects it
        }
    }

    /** @param changes this batch's watch changes, not yet in the history */
    static ApplyResult.Outcome apply(Entry e, RocksHandle handle, WriteBatch batch,
                                     Map<String, Optional<StoredValue>> pending, List<Change> changes)
            throws IOException, RocksDBException {
        Recode r;
        CodedValue coded = null;
        try {
            if (e.type() == EntryType.FRAGMENT) {
                Fragment f = Fragment.fromBytes(e.data());
                r = Recode.decodeClear(f.clear(), f.codedLength());
                coded = new CodedValue(e.index(), e.term(), e.data());
            } else {
                r = Recode.decode(e.data());
            }
        } catch (IllegalArgumentException bad) {
            return new ApplyResult.Rejected(e.index(), bad.getMessage());
        }
        Optional<StoredValue> current = BatchView.current(handle, r.key(), pending);
        long revision = current.map(StoredValue::modRevision).orElse(0L);
        if (revision != r.revision()) return new ApplyResult.PreconditionFailed(e.index(), revision);
        StoredValue c = current.orElseThrow();
        StoredValue next = coded != null
                ? StoredValue.coded(c.createRevision(), c.modRevision(), c.version(), coded)
                : StoredValue.recoded(c.createRevision(), c.modRevision(), c.version(), r.value(), e.index(), e.term(),
                        r.kind());
        batch.put(handle.data(), r.key().getBytes(StandardCharsets.UTF_8), next.encode());
        pending.put(r.key(), Optional.of(next));
        History.recoded(handle, batch, changes, r.key(), next);
        return new ApplyResult.Applied(e.index(), revision);
    }
}
