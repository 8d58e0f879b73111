package io.leifdb.raft.sim;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.ConfStateCodec;
import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import io.leifdb.raft.LogStorage;
import io.leifdb.raft.LogUnavailableException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Checks the safety properties of Raft's Figure 3 incrementally, as the simulation observes each
 * node's durable log, commit index and applied entries. Each check costs O(1) per observed entry,
 * so it can run after every step of every seed.
 */
final class InvariantChecker {
    /** A node that currently believes it leads {@code term}, and its durable log. */
    record LeaderView(long id, long term, LogStorage log) {
    }

    private record IndexTerm(long index, long term) {
    }

    /** The first entry seen at an (index, term) and the term before it (-1 when compacted away). */
    private record Seen(Entry entry, long prevTerm, long node) {
    }

    /** A committed index: its entry's term and the lowest term in which some node knew it committed. */
    private static final class Committed {
        final long entryTerm;
        long knownInTerm;
        final long node;

        Committed(long entryTerm, long knownInTerm, long node) {
            this.entryTerm = entryTerm;
            this.knownInTerm = knownInTerm;
            this.node = node;
        }
    }

    private final Supplier<List<LeaderView>> leaders;
    private final TreeMap<Long, Long> leaderOfTerm = new TreeMap<>();
    private final Map<IndexTerm, Seen> seen = new HashMap<>();
    private final Map<Long, Committed> committed = new HashMap<>();
    private final Map<Long, Entry> appliedAt = new HashMap<>();
    private final Map<Long, Long> commitSeen = new HashMap<>();
    private long maxCommitted;
    /** The entry an observed one stands for (CRaft: a fragment's full entry); identity by default. */
    private UnaryOperator<Entry> canonical = UnaryOperator.identity();
    /** The membership of the highest committed CONFIG entry seen (the initial one before any). */
    private ConfState committedConf;
    private long committedConfIndex;
    /** Whether the run has pre-vote, under which a removed member can never start a term of its own. */
    private final boolean preVote;
    /** Terms in which an entry of that term is known committed. */
    private final java.util.Set<Long> termsCommitted = new java.util.HashSet<>();
    /** The highest term each node has written to its hard state. */
    private final Map<Long, Long> termOf = new HashMap<>();

    InvariantChecker(Supplier<List<LeaderView>> leaders) {
        this(leaders, ConfState.of(java.util.Set.of()), false);
    }

    InvariantChecker(Supplier<List<LeaderView>> leaders, ConfState initial, boolean preVote) {
        this.leaders = leaders;
        this.committedConf = initial;
        this.preVote = preVote;
    }

    void canonicalizeWith(UnaryOperator<Entry> f) {
        canonical = f;
    }

    /** Term of the entry committed at {@code index}, or -1 when none is known committed. */
    long committedTerm(long index) {
        Committed c = committed.get(index);
        return c == null ? -1 : c.entryTerm;
    }

    long maxCommitted() {
        return maxCommitted;
    }

    /** Election safety: at most one leader can be elected in a given term (§5.2). */
    void leaderObserved(long node, long term, LogStorage log) {
        Long other = leaderOfTerm.putIfAbsent(term, node);
        if (other != null && other != node) {
            throw new SafetyViolation("election safety: n" + other + " and n" + node + " both lead term " + term);
        }
        if (other == null) checkLeaderCompleteness(new LeaderView(node, term, log));
    }

    /** Whole entries a node is about to write and send (CRaft's reference for the fragments it sends). */
    void entriesHeldInFull(List<Entry> entries) {
        for (Entry e : entries) {
            if (e.type() != EntryType.FRAGMENT) canonical.apply(e);
        }
    }

    /**
     * Log matching (§5.3): entries with the same index and term hold the same command and follow the
     * same term; by induction the logs then agree on every earlier entry.
     */
    void entriesPersisted(long node, List<Entry> entries, LogStorage log) {
        long prevTerm = -1;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = canonical.apply(entries.get(i));
            if (i > 0) {
                prevTerm = entries.get(i - 1).term();
            } else {
                prevTerm = e.index() == 1 ? 0 : termOrUnknown(log, e.index() - 1);
            }
            if (prevTerm > e.term()) {
                // Terms never decrease along a log: leaders append only their own term (§5.3).
                throw new SafetyViolation("log terms: n" + node + " holds " + e.index() + "@" + e.term()
                        + " after an entry of term " + prevTerm);
            }
            IndexTerm at = new IndexTerm(e.index(), e.term());
            Seen first = seen.putIfAbsent(at, new Seen(e, prevTerm, node));
            if (first == null) continue;
            if (!first.entry().equals(e)) {
                throw new SafetyViolation("log matching: n" + node + " holds " + describe(e) + " but n"
                        + first.node() + " holds " + describe(first.entry()) + " at the same index and term");
            }
            if (first.prevTerm() >= 0 && prevTerm >= 0 && first.prevTerm() != prevTerm) {
                throw new SafetyViolation("log matching: entry " + e.index() + "@" + e.term() + " follows term "
                        + prevTerm + " on n" + node + " but term " + first.prevTerm() + " on n" + first.node());
            }
        }
    }

    /**
     * A node's hard state says {@code commit} in {@code term}: its log through {@code commit} must
     * agree with every committed entry seen so far, and every leader of a later term must hold the
     * newly committed entries (leader completeness, §5.4).
     */
    void commitObserved(long node, long term, long commit, LogStorage log) {
        long from = Math.max(commitSeen.getOrDefault(node, 0L), log.firstIndex() - 1);
        List<Long> fresh = new ArrayList<>();
        for (long i = Math.max(1, from); i <= commit; i++) {
            long t = termOrUnknown(log, i);
            if (t < 0) continue;
            Committed c = committed.get(i);
            if (c == null) {
                committed.put(i, new Committed(t, term, node));
                fresh.add(i);
                maxCommitted = Math.max(maxCommitted, i);
                termsCommitted.add(t);
                noteCommittedConf(log, i);
            } else if (c.entryTerm != t) {
                throw new SafetyViolation("commit safety: n" + node + " commits index " + i + " with term " + t
                        + " but n" + c.node + " committed term " + c.entryTerm + " there");
            } else if (term < c.knownInTerm) {
                c.knownInTerm = term;
            }
        }
        commitSeen.put(node, Math.max(commitSeen.getOrDefault(node, 0L), commit));
        if (fresh.isEmpty()) return;
        for (LeaderView l : leaders.get()) {
            for (long i : fresh) checkCommittedIn(l, i, committed.get(i));
        }
    }

    private void noteCommittedConf(LogStorage log, long index) {
        if (index <= committedConfIndex || index < log.firstIndex()) return;
        Entry e = log.entries(index, index + 1, Long.MAX_VALUE).getFirst();
        if (e.type() == EntryType.CONFIG) {
            committedConf = ConfStateCodec.decode(e.data());
            committedConfIndex = index;
        }
    }

    /**
     * Thesis §4.1, a leader of {@code term} appends a change: an entry of its term has committed, and
     * one change at a time: its log holds at most one CONFIG entry above the highest index known
     * committed anywhere. (A new leader may hold two above its own commit index,
     * when it never learned that the first committed, so the bound is the global one.)
     */
    void leaderAppendedConfig(long node, long term, LogStorage log) {
        if (!termsCommitted.contains(term)) {
            // Thesis §4.1 (the 2015 fix): else a change of an earlier term it never saw may still win over this one.
            throw new SafetyViolation("change before its term's first commit: n" + node + " appends a membership change"
                    + " in term " + term + " before any entry of that term is committed");
        }
        long from = Math.max(maxCommitted + 1, log.firstIndex());
        long uncommitted = from > log.lastIndex() ? 0 : log.entries(from, log.lastIndex() + 1, Long.MAX_VALUE).stream()
                .filter(e -> e.type() == EntryType.CONFIG).count();
        if (uncommitted > 1) {
            throw new SafetyViolation("one change at a time: n" + node + ", leader of term " + term + ", holds "
                    + uncommitted + " membership changes above the highest committed index " + maxCommitted);
        }
    }

    /** A node wrote a hard state of {@code term}. */
    void termObserved(long node, long term) {
        termOf.merge(node, term, Math::max);
    }

    /**
     * Node {@code node}, whose log is {@code log} and commit index {@code commit}, starts an election in
     * {@code term}. A node outside the committed membership (removed, or never added) must never start a
     * term above every other node's, so it never raises the cluster's term (thesis §4.2.3), with pre-vote:
     * one that missed its removal cannot win a pre-vote, since every majority of its stale membership
     * meets a holder of the committed change its log lacks (§5.4.1). The one exception is thesis §4.2.2:
     * a node whose log holds its removal as the latest change, not known committed there, may campaign,
     * since it may hold the only copy of the change (a removed leader that lost leadership); it can only
     * win with the votes of members whose logs are no longer than its own, and then finishes the change.
     */
    void campaignStarted(long node, long term, LogStorage log, long commit) {
        if (!preVote || committedConf.voters().contains(node) || committedConf.learners().contains(node)) return;
        boolean holdsItsRemoval = committedConfIndex > 0 && commit < committedConfIndex
                && termOrUnknown(log, committedConfIndex) == committed.get(committedConfIndex).entryTerm
                && log.lastIndex() >= committedConfIndex;
        if (holdsItsRemoval) return;
        long others = termOf.entrySet().stream().filter(e -> e.getKey() != node).mapToLong(Map.Entry::getValue)
                .max().orElse(0);
        if (term > others) {
            throw new SafetyViolation("removed member disrupts: n" + node + ", outside the committed membership "
                    + committedConf.voters() + (committedConf.learners().isEmpty() ? "" : " learners "
                    + committedConf.learners()) + " (index " + committedConfIndex + "), starts term " + term
                    + ", above every other node's term " + others);
        }
    }

    /** Every committed entry survives: the final leader's log (or its snapshot) holds each of them. */
    void allCommittedIn(LeaderView l) {
        for (Map.Entry<Long, Committed> e : committed.entrySet()) {
            long index = e.getKey();
            if (index < l.log().firstIndex()) continue; // covered by its snapshot, checked when installed
            long t = termOrUnknown(l.log(), index);
            if (t != e.getValue().entryTerm) {
                throw new SafetyViolation("durability: committed entry " + index + "@" + e.getValue().entryTerm
                        + " is not in the log of n" + l.id() + ", leader of term " + l.term() + " at the end (it holds "
                        + (t < 0 ? "nothing" : "term " + t) + " there)");
            }
        }
    }

    /** The node lost its volatile state; its commit index restarts from its durable hard state. */
    void restarted(long node) {
        commitSeen.remove(node);
    }

    /** State machine safety (§5.4.3): no two nodes apply different entries at one index. */
    void applied(long node, Entry observed) {
        Entry e = canonical.apply(observed);
        Entry first = appliedAt.putIfAbsent(e.index(), e);
        if (first != null && !first.equals(e)) {
            throw new SafetyViolation("state machine safety: n" + node + " applied " + describe(e)
                    + " where another node applied " + describe(first));
        }
        Committed c = committed.get(e.index());
        if (c != null && c.entryTerm != e.term()) {
            throw new SafetyViolation("state machine safety: n" + node + " applied " + describe(e)
                    + " but term " + c.entryTerm + " was committed there");
        }
    }

    /** A snapshot (index, term) was installed: it may only cover committed entries. */
    void snapshotInstalled(long node, long index, long term) {
        Committed c = committed.get(index);
        if (c != null && c.entryTerm != term) {
            throw new SafetyViolation("state machine safety: n" + node + " installed a snapshot at " + index + "@"
                    + term + " but term " + c.entryTerm + " was committed there");
        }
    }

    private void checkLeaderCompleteness(LeaderView l) {
        for (Map.Entry<Long, Committed> e : committed.entrySet()) checkCommittedIn(l, e.getKey(), e.getValue());
    }

    private static void checkCommittedIn(LeaderView l, long index, Committed c) {
        if (c.knownInTerm >= l.term()) return;
        if (index < l.log().firstIndex() - 1) return;
        long t = termOrUnknown(l.log(), index);
        if (t != c.entryTerm) {
            throw new SafetyViolation("leader completeness: n" + l.id() + " leads term " + l.term()
                    + " without entry " + index + "@" + c.entryTerm + ", committed by term " + c.knownInTerm
                    + " (it holds " + (t < 0 ? "nothing" : "term " + t) + " there)");
        }
    }

    private static long termOrUnknown(LogStorage log, long index) {
        if (index < log.firstIndex() - 1 || index > log.lastIndex()) return -1;
        try {
            return log.term(index);
        } catch (LogUnavailableException e) {
            return -1;
        }
    }

    private static String describe(Entry e) {
        String what = switch (e.type()) {
            case NORMAL -> e.data().length == 0 ? "empty" : Command.decode(e.data()).toString();
            case NOOP -> "noop";
            case CONFIG -> "config";
            case FRAGMENT -> "fragment";
        };
        return e.index() + "@" + e.term() + " " + what;
    }
}
