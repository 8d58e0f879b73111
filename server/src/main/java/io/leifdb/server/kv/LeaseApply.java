package io.leifdb.server.kv;

import java.util.List;
import java.util.Optional;

/**
 * Applies one {@link LeaseCommand} at {@code index}. Deterministic: it reads only the batch's view of the
 * keys and the lease table, so every replica deletes the same keys at the same index. A command naming a
 * lease that is gone (revoked, expired, never granted) changes nothing and is {@link ApplyResult.Refused}
 * with code {@code lease_not_found}; an expiry of a gone lease (an old leader's, applied twice) is harmless.
 */
final class LeaseApply {
    static final String NOT_FOUND = "lease_not_found";
    static final String LIMIT = "lease_limit";

    private LeaseApply() {
    }

    static ApplyResult.Outcome apply(LeaseCommand command, long index, BatchView state, LeaseTable.Edit leases) {
        return switch (command) {
            case LeaseCommand.Grant g -> {
                if (leases.size() >= LeaseTable.MAX_LEASES) yield tooMany(index);
                leases.grant(index, g.ttlMillis());
                yield new ApplyResult.Applied(index, index);
            }
            case LeaseCommand.Put p -> put(p, index, state, leases);
            case LeaseCommand.Revoke r -> end(r.leaseId(), index, state, leases, Change.Type.DELETE);
            case LeaseCommand.Expire x -> end(x.leaseId(), index, state, leases, Change.Type.EXPIRE);
        };
    }

    private static ApplyResult.Outcome put(LeaseCommand.Put p, long index, BatchView state, LeaseTable.Edit leases) {
        long leaseId = p.grantTtlMillis() > 0 ? index : p.leaseId();
        if (p.grantTtlMillis() > 0 && leases.size() >= LeaseTable.MAX_LEASES) return tooMany(index);
        if (p.grantTtlMillis() == 0 && leases.get(leaseId).isEmpty()) {
            return new ApplyResult.Refused(index, NOT_FOUND, "lease " + leaseId + " does not exist (expired or revoked?)");
        }
        if (p.grantTtlMillis() == 0 && leases.leaseOf(p.key()) != leaseId
                && leases.get(leaseId).get().keys().size() >= LeaseTable.MAX_KEYS_PER_LEASE) {
            return new ApplyResult.Refused(index, LIMIT, "lease " + leaseId + " already holds "
                    + LeaseTable.MAX_KEYS_PER_LEASE + " keys, the most one lease may hold");
        }
        Optional<StoredValue> current = state.read(p.key());
        long currentRevision = current.map(StoredValue::modRevision).orElse(0L);
        if (!p.pre().holds(currentRevision)) return new ApplyResult.PreconditionFailed(index, currentRevision);
        if (p.grantTtlMillis() > 0) leases.grant(leaseId, p.grantTtlMillis());
        long create = current.map(StoredValue::createRevision).orElse(index);
        long version = current.map(StoredValue::version).orElse(0L) + 1;
        // Format 1 (no term or precondition): no plain put entry stands for this write, as for a transaction's.
        state.put(p.key(), new StoredValue(create, index, version, p.value()));
        leases.attach(p.key(), leaseId);
        return new ApplyResult.Applied(index, index);
    }

    /** Revoke or expire: the lease goes, and each of its keys is deleted at {@code index}. */
    private static ApplyResult.Outcome end(long leaseId, long index, BatchView state, LeaseTable.Edit leases,
                                           Change.Type how) {
        if (leases.get(leaseId).isEmpty()) {
            return new ApplyResult.Refused(index, NOT_FOUND, "lease " + leaseId + " does not exist (expired or revoked?)");
        }
        List<String> keys = leases.remove(leaseId, how == Change.Type.EXPIRE);
        for (String k : keys) {
            if (state.read(k).isPresent()) state.remove(k, how);
        }
        return new ApplyResult.Applied(index, index);
    }

    private static ApplyResult.Outcome tooMany(long index) {
        return new ApplyResult.Refused(index, LIMIT, "the cluster already holds " + LeaseTable.MAX_LEASES
                + " leases, the most it keeps; revoke some or attach more keys to one");
    }
}
