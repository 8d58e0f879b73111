package io.leifdb.server.kv;

import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import io.leifdb.raft.craft.Fragment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one entry that changes keys: a {@link Command} (NORMAL, or a CRaft FRAGMENT), a {@link Txn} or a
 * {@link LeaseCommand}, through the apply batch's {@link BatchView}. An entry that does not decode is
 * skipped on every replica alike. A plain put or delete, in a command or a transaction, takes its key out
 * of any lease (as etcd does); a lease put attaches it.
 */
final class KeyApply {
    private static final Logger log = LoggerFactory.getLogger(KeyApply.class);

    /** Why a value compare is refused while values may be coded. */
    static final String VALUE_COMPARE_CODED = "a transaction may not compare values while erasure coding is on or values"
            + " coded before are left (storedK above 1): members holding a fragment could not decide it as the others"
            + " do; compare version, revision or create_revision instead";

    private KeyApply() {
    }

    /** Whether under membership {@code conf} (CONFIG data) a member may hold a value as a CRaft fragment. */
    static boolean valuesMayBeCoded(byte[] conf) {
        if (conf == null) return false;
        try {
            io.leifdb.raft.ConfState c = io.leifdb.raft.ConfStateCodec.decode(conf);
            return c.coding() != null && (c.coding().on() || c.coding().storedKFor(c.voters().size()) > 1);
        } catch (IllegalArgumentException legacy) {
            return false; // a membership written before coding parameters existed: nothing was coded
        }
    }

    /**
     * {@code valuesMayBeCoded}: the membership applied before {@code e} says a member may hold a value as a CRaft
     * fragment (coding on, or storedK above 1), so a transaction that compares a value is refused, the same
     * verdict on every member: one holding the value whole and one holding a fragment would disagree.
     *
     * @throws IOException if RocksDB fails to read; nothing of the apply call is written then
     */
    static ApplyResult.Outcome apply(Entry e, BatchView view, LeaseTable.Edit leases, boolean valuesMayBeCoded)
            throws IOException {
        try {
            if (e.type() == EntryType.NORMAL && LeaseCommand.isLease(e.data())) {
                return LeaseApply.apply(LeaseCommand.decode(e.data()), e.index(), view, leases);
            }
            int before = view.changeCount();
            ApplyResult.Outcome out;
            if (e.type() == EntryType.NORMAL && TxnCodec.isTxn(e.data())) {
                Txn txn = TxnCodec.decode(e.data());
                if (valuesMayBeCoded && txn.comparesValues()) {
                    return new ApplyResult.Rejected(e.index(), VALUE_COMPARE_CODED);
                }
                out = new ApplyResult.TxnApplied(e.index(), TxnApply.apply(txn, e.index(), view));
            } else {
                out = command(e, view);
            }
            view.changedSince(before).forEach(c -> leases.detach(c.key()));
            return out;
        } catch (IllegalArgumentException bad) {
            log.warn("skipping undecodable entry {}: {}", e.index(), bad.getMessage());
            return new ApplyResult.Rejected(e.index(), bad.getMessage());
        } catch (UncheckedIOException io) {
            throw io.getCause();
        }
    }

    private static ApplyResult.Outcome command(Entry e, BatchView view) {
        Command command;
        CodedValue coded = null;
        if (e.type() == EntryType.FRAGMENT) {
            Fragment f = Fragment.fromBytes(e.data());
            command = CommandCodec.decodeClear(f.clear(), f.codedLength());
            coded = new CodedValue(e.index(), e.term(), e.data());
        } else {
            command = Command.decode(e.data());
        }
        Optional<StoredValue> current = view.read(command.key());
        long currentRevision = current.map(StoredValue::modRevision).orElse(0L);
        if (!command.pre().holds(currentRevision)) {
            return new ApplyResult.PreconditionFailed(e.index(), currentRevision);
        }
        switch (command) {
            case Command.Put put -> {
                long create = current.map(StoredValue::createRevision).orElse(e.index());
                long version = current.map(StoredValue::version).orElse(0L) + 1;
                view.put(command.key(), coded != null
                        ? StoredValue.coded(create, e.index(), version, coded)
                        : StoredValue.whole(create, e.index(), version, put.value(), e.term(), put.pre(),
                                put.kind()));
            }
            case Command.Delete del -> {
                if (current.isPresent()) view.delete(command.key());
            }
        }
        return new ApplyResult.Applied(e.index(), e.index());
    }
}
