package io.leifdb.raft;

import java.util.List;

/**
 * Every message Raft peers exchange. Node ids are positive longs; 0 means "none".
 * The transport must carry each record faithfully; it may drop, delay, duplicate or reorder
 * messages, and the core stays safe.
 */
public sealed interface Message {
    long from();

    long to();

    long term();

    /** §5.3 AppendEntries; also carries a leader's commit index (§5.3) and is the probe in probe state. */
    record AppendEntries(long from, long to, long term, long prevLogIndex, long prevLogTerm,
                         List<Entry> entries, long commit) implements Message {
        public AppendEntries {
            entries = List.copyOf(entries);
        }
    }

    /**
     * Reply to AppendEntries or InstallSnapshot. On success {@code index} is the last index now
     * known to match the leader. On reject, {@code index} is the rejected prevLogIndex and
     * ({@code hintIndex}, {@code hintTerm}) is the follower's conflict hint for fast backtracking.
     * Under CRaft {@code held} describes, in runs, how the follower holds every entry from the
     * leader's commit index to {@code index}; plain Raft leaves it empty.
     */
    record AppendResponse(long from, long to, long term, boolean reject, long index,
                          long hintIndex, long hintTerm, List<FragmentAck> held) implements Message {
        public AppendResponse {
            held = held == null ? List.of() : List.copyOf(held);
        }

        /** A reply that says nothing of the form in which entries are held (plain Raft). */
        public AppendResponse(long from, long to, long term, boolean reject, long index, long hintIndex,
                              long hintTerm) {
            this(from, to, term, reject, index, hintIndex, hintTerm, List.of());
        }
    }

    /** Leader heartbeat. {@code readContext} is non-zero when it confirms leadership for ReadIndex (§6.4). */
    record Heartbeat(long from, long to, long term, long commit, long readContext) implements Message {
    }

    record HeartbeatResponse(long from, long to, long term, long readContext) implements Message {
    }

    /**
     * §5.2 RequestVote, or the pre-vote of thesis §9.6 when {@code preVote} (then {@code term} is
     * the term the candidate would campaign in). {@code transfer} marks a campaign started by
     * TimeoutNow, which may disrupt a live leader (§3.10).
     */
    record RequestVote(long from, long to, long term, long lastLogIndex, long lastLogTerm,
                       boolean preVote, boolean transfer) implements Message {
    }

    record VoteResponse(long from, long to, long term, boolean granted, boolean preVote) implements Message {
    }

    /** §7 InstallSnapshot. The server streams the files separately; see {@link Snapshot}. */
    record InstallSnapshot(long from, long to, long term, Snapshot snapshot) implements Message {
    }

    /** Leadership transfer (thesis §3.10): the target campaigns at once. */
    record TimeoutNow(long from, long to, long term) implements Message {
    }

    /** A follower forwards a ReadIndex request to its leader (§6.4). */
    record ReadIndexRequest(long from, long to, long term, long context) implements Message {
    }

    /** The leader's answer: once applied through {@code index}, the read with {@code context} may run. */
    record ReadIndexResponse(long from, long to, long term, long context, long index) implements Message {
    }

    /**
     * CRaft recovery: a new leader asks a voter for the entries it holds in [{@code lo}, {@code hi}],
     * full or as fragments, before it serves clients.
     */
    record FragmentRequest(long from, long to, long term, long lo, long hi) implements Message {
    }

    /**
     * The answer: the entries the voter holds from {@code lo} on (possibly fewer, possibly none),
     * and its commit index, which tells the new leader what is certainly committed.
     */
    record FragmentResponse(long from, long to, long term, long lo, long commit, List<Entry> entries)
            implements Message {
        public FragmentResponse {
            entries = List.copyOf(entries);
        }
    }
}
