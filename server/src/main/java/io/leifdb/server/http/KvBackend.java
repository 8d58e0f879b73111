package io.leifdb.server.http;

import io.leifdb.server.kv.KeyPage;
import io.leifdb.server.kv.KeyValue;
import io.leifdb.server.kv.Precondition;
import io.leifdb.server.kv.Txn;
import io.leifdb.server.kv.Watcher;
import io.leifdb.server.kv.TxnResult;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the HTTP API needs from a node. The node implements it; the API never touches the Raft core.
 *
 * <p>Contract: writes return at once and never block the caller on consensus. A linearizable
 * {@code get} or {@code list} may block the calling thread (a virtual thread per request) while
 * its ReadIndex round completes, never longer than the request timeout. Failures arrive as
 * the future's exception: {@link NotLeaderException} (this node may not serve the call; the API redirects
 * or answers 503), {@link PreconditionFailedException} (a conditional write found another revision:
 * 412), {@link java.util.concurrent.TimeoutException} or anything else (outcome unknown: 503). A write
 * future completes normally only after the entry has committed and been applied, so a 200 is durable.
 * A failure reported before proposing (not leader, precondition) means the write certainly did not
 * happen; any other failure may hide a write that still commits later.
 */
public interface KvBackend {

    /** Sets {@code key} to {@code value} if {@code pre} holds; completes after commit and apply. */
    CompletableFuture<WriteOutcome> put(String key, byte[] value, Precondition pre);

    /** Removes {@code key} if {@code pre} holds; deleting a missing key succeeds. */
    CompletableFuture<WriteOutcome> delete(String key, Precondition pre);

    /**
     * Applies {@code txn} as one Raft entry; completes after commit and apply with what it did. Like a write,
     * it fails with {@link NotLeaderException} on a follower.
     */
    CompletableFuture<TxnResult> txn(Txn txn);

    /**
     * Whether a member may hold a value only as a CRaft fragment (coding on, or storedK above 1). Nothing decided
     * at apply time may then depend on a value's bytes: a transaction that compares a value is refused.
     */
    default boolean valuesCoded() {
        return false;
    }

    /**
     * Watches {@code key} (or, when null, the keys under {@code prefix}; null is every key) for changes after
     * {@code afterRevision}, or from now when it is negative, served from this member's applied state. The
     * caller closes the watcher. Never blocks.
     *
     * @throws io.leifdb.server.kv.HistoryCompactedException if this member no longer holds every change after
     *     {@code afterRevision} (a 410)
     */
    Watcher watch(String key, String prefix, long afterRevision);

    /** Reads one key; linearizable reads go through ReadIndex, stale ones read the local state. */
    CompletableFuture<Optional<KeyValue>> get(String key, boolean linearizable);

    /**
     * Reads one key for an answer written while the value arrives: as {@link #get}, but a value this member
     * must gather (CRaft) may complete while it is being written. Fails, like {@link #get}, before anything
     * is written. {@code asText}: the answer is JSON, whose form must be known before the value's first
     * byte, so a value still arriving comes with its {@link ValueStream#kind()}, and one of no recorded
     * kind comes whole.
     */
    default CompletableFuture<Optional<ValueStream>> getStream(String key, boolean linearizable, boolean asText) {
        return get(key, linearizable).thenApply(found -> found.map(ValueStream::of));
    }

    /**
     * Lists keys that start with {@code prefix} and sort strictly after {@code after} (empty: from the
     * start), in key order: at most {@code limit} entries, and no more once their values pass
     * {@code maxValueBytes} (the first entry always comes, so paging moves on). With a non-empty
     * {@code delimiter}, a key whose rest after the prefix holds it is folded into one common prefix
     * (up to and including the delimiter), listed once in {@link KeyPage#prefixes()}.
     */
    CompletableFuture<KeyPage> list(String prefix, String delimiter, String after, int limit, long maxValueBytes,
                                    boolean linearizable);

    /** How many entries a full listing of {@code prefix} (folded by {@code delimiter}) would return. */
    CompletableFuture<Long> count(String prefix, String delimiter, boolean linearizable);

    /**
     * A listed key's value, read locally: the listing's own read barrier already made this node current.
     * Empty when a write removed the key since the listing.
     */
    default CompletableFuture<Optional<KeyValue>> listedValue(String key) {
        return get(key, false);
    }

    /**
     * A consistent backup of the applied state at one Raft index, holding every write acknowledged before
     * the call (this node first passes a read barrier). May block the calling (virtual) thread while the
     * barrier and the copy complete. The caller closes the backup.
     */
    CompletableFuture<Backup> backup();

    /** A cheap snapshot of this node's view of the cluster; must not block. */
    NodeStatus status();

    /** Whether a membership without this node is in force (it was removed); cheap, asked on every request. */
    default boolean removed() {
        return false;
    }

    /** Whether this node joined and has not yet applied the configuration that adds it; cheap, asked on every request. */
    default boolean joining() {
        return false;
    }

    /** Membership changes and leadership transfer (see {@link ClusterAdmin}). */
    ClusterAdmin admin();
    /** CRaft's coding parameters (see {@link CodingAdmin}). */
    CodingAdmin coding();

    /** Leases with a time to live (see {@link LeaseBackend}); {@link LeaseBackend#NONE} where the backend keeps none. */
    default LeaseBackend leases() {
        return LeaseBackend.NONE;
    }

    /** Users, roles and tokens; {@link AuthBackend#NONE} where the backend keeps none. */
    default AuthBackend auth() {
        return AuthBackend.NONE;
    }
}
