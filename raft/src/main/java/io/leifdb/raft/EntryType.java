package io.leifdb.raft;

/** What an {@link Entry} holds. */
public enum EntryType {
    /** A client command for the state machine. */
    NORMAL,
    /** An empty entry a new leader appends to commit an entry of its own term. */
    NOOP,
    /** A membership change; data is an encoded {@link ConfState}. */
    CONFIG,
    /**
     * CRaft: what a follower holds in place of a coded NORMAL entry; data is a
     * {@link io.leifdb.raft.craft.Fragment} in its byte layout. Only the leader holds the full entry.
     */
    FRAGMENT
}
