package io.leifdb.raft;

import io.leifdb.raft.Message.AppendEntries;
import io.leifdb.raft.Message.AppendResponse;
import io.leifdb.raft.Message.FragmentRequest;
import io.leifdb.raft.Message.FragmentResponse;
import io.leifdb.raft.Message.Heartbeat;
import io.leifdb.raft.Message.HeartbeatResponse;
import io.leifdb.raft.Message.InstallSnapshot;
import io.leifdb.raft.Message.ReadIndexRequest;
import io.leifdb.raft.Message.ReadIndexResponse;
import io.leifdb.raft.Message.RequestVote;
import io.leifdb.raft.Message.TimeoutNow;
import io.leifdb.raft.Message.VoteResponse;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The door every inbound message passes before any rule of the paper sees it: only members speak
 * Raft, only the current leader sends TimeoutNow, and every term and index a message carries lies
 * in a range where the core's arithmetic ({@code term + 1}, {@code index + 1}, {@code prev + n})
 * cannot overflow. A refused message changes nothing but a counter. This is defence in depth for
 * a trusted network, not authentication: a forged sender id of a real member still gets in.
 */
final class Admission {
    /** 2^48: at one election per millisecond, 8,900 years of terms; far below where {@code term + 1} overflows. */
    static final long MAX_TERM = 1L << 48;
    /** 2^62: at a million writes a second, 146,000 years of log; {@code index + batch size} stays far from overflow. */
    static final long MAX_INDEX = 1L << 62;

    private final Raft r;
    private final EnumMap<DropReason, Long> dropped = new EnumMap<>(DropReason.class);

    Admission(Raft r) {
        this.r = r;
    }

    /** The reason to drop {@code m}, counted, or null to let it in. */
    DropReason check(Message m) {
        DropReason reason = reason(m);
        if (reason != null) {
            dropped.merge(reason, 1L, Long::sum);
        }
        return reason;
    }

    Map<DropReason, Long> dropped() {
        return Map.copyOf(dropped);
    }

    private DropReason reason(Message m) {
        // The membership in force is the latest in the log (thesis §4.1); a known server may be in a newer one we lack,
        // and a member just removed answers the log the leader still sends it (ProgressTracker.departing).
        if (m.from() == r.id || !(r.tracker.isMember(m.from()) || r.tracker.departing.contains(m.from())
                || r.config.knownServers().contains(m.from()))) {
            return DropReason.NOT_A_MEMBER;
        }
        if (!term(m.term())) {
            return DropReason.TERM_OUT_OF_RANGE;
        }
        DropReason fields = fields(m);
        if (fields != null) {
            return fields;
        }
        if (m instanceof TimeoutNow && (m.from() != r.lead || m.term() != r.term)) {
            return DropReason.TIMEOUT_NOW_NOT_FROM_LEADER;
        }
        if (m instanceof AppendResponse a && !a.reject() && r.role == Role.LEADER && m.term() == r.term
                && a.index() > r.log.lastIndex()) {
            // A follower only ever acknowledges what this leader sent it: more would count toward a commit (§5.3).
            return DropReason.INDEX_OUT_OF_RANGE;
        }
        return null;
    }

    /** The terms and indexes each message type carries, and how they must relate. */
    private static DropReason fields(Message m) {
        return switch (m) {
            case AppendEntries a -> {
                if (!index(a.prevLogIndex()) || !index(a.commit())) yield DropReason.INDEX_OUT_OF_RANGE;
                if (!term(a.prevLogTerm())) yield DropReason.TERM_OUT_OF_RANGE;
                yield entriesFollow(a.prevLogIndex(), a.entries());
            }
            case AppendResponse a -> {
                if (!index(a.index()) || !index(a.hintIndex())) yield DropReason.INDEX_OUT_OF_RANGE;
                if (!term(a.hintTerm())) yield DropReason.TERM_OUT_OF_RANGE;
                for (FragmentAck h : a.held()) {
                    if (!index(h.lo()) || !index(h.hi())) yield DropReason.INDEX_OUT_OF_RANGE;
                }
                yield null;
            }
            case Heartbeat h -> index(h.commit()) ? null : DropReason.INDEX_OUT_OF_RANGE;
            case RequestVote v -> {
                if (!index(v.lastLogIndex())) yield DropReason.INDEX_OUT_OF_RANGE;
                yield term(v.lastLogTerm()) ? null : DropReason.TERM_OUT_OF_RANGE;
            }
            case InstallSnapshot s -> {
                if (!index(s.snapshot().meta().index())) yield DropReason.INDEX_OUT_OF_RANGE;
                yield term(s.snapshot().meta().term()) ? null : DropReason.TERM_OUT_OF_RANGE;
            }
            case ReadIndexResponse r -> index(r.index()) ? null : DropReason.INDEX_OUT_OF_RANGE;
            case FragmentRequest f -> index(f.lo()) && index(f.hi()) ? null : DropReason.INDEX_OUT_OF_RANGE;
            case FragmentResponse f -> {
                if (!index(f.lo()) || !index(f.commit())) yield DropReason.INDEX_OUT_OF_RANGE;
                for (Entry e : f.entries()) {
                    if (!index(e.index())) yield DropReason.INDEX_OUT_OF_RANGE;
                    if (!term(e.term())) yield DropReason.TERM_OUT_OF_RANGE;
                }
                yield null;
            }
            case HeartbeatResponse h -> null;
            case VoteResponse v -> null;
            case TimeoutNow t -> null;
            case ReadIndexRequest q -> null;
        };
    }

    /**
     * §5.3: the entries continue the log right after prevIndex, one index each, as the follower's
     * append assumes. Terms are only range-checked: a crash can keep entries of a term whose hard
     * state it lost, so a real log may hold terms above its owner's current term.
     */
    private static DropReason entriesFollow(long prevIndex, List<Entry> entries) {
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (!term(e.term())) return DropReason.TERM_OUT_OF_RANGE;
            if (e.index() != prevIndex + 1 + i) return DropReason.MALFORMED;
        }
        return null;
    }

    private static boolean term(long t) {
        return t >= 0 && t <= MAX_TERM;
    }

    private static boolean index(long i) {
        return i >= 0 && i <= MAX_INDEX;
    }
}
