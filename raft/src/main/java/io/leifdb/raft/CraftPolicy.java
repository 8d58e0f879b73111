package io.leifdb.raft;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntUnaryOperator;
import java.util.function.ToIntFunction;

/**
 * CRaft (Wang et al., FAST 2020): erasure-coded replication. With N voters, F = floor((N-1)/2)
 * and a (k, m) Reed-Solomon code (k + m = N), a leader sends each follower only its fragment, and
 * a coded entry commits once F + k voters hold it: any majority then still holds k fragments. The
 * leader picks k per entry from the voters that keep up with its log (FlexRaft's idea), at most
 * the cluster's k, down to full copies, which commit on a majority as in plain Raft.
 *
 * <p>The cluster's {@link CodingParams} live in the membership ({@link ConfState#coding()}); the
 * values this policy is built with are only this process's variables, which the first leader
 * records. Immutable and shareable; codes are cached per membership. Fragment ids are positions
 * among the voters: which voter changes keep coded values decodable is {@link CodedVoterChange}.
 */
public final class CraftPolicy implements ReplicationPolicy {
    private final CodingParams variables;
    private final ToIntFunction<byte[]> clearPrefix;
    private final IntUnaryOperator codedQuorumOverride;
    private final boolean adaptive;
    private final Map<ConfState, CraftCoding> codings = new ConcurrentHashMap<>();

    private CraftPolicy(CodingParams variables, ToIntFunction<byte[]> clearPrefix, IntUnaryOperator codedQuorumOverride,
                        boolean adaptive) {
        this.variables = variables;
        this.clearPrefix = clearPrefix;
        this.codedQuorumOverride = codedQuorumOverride;
        this.adaptive = adaptive;
    }

    private CraftPolicy(CodingParams variables, ToIntFunction<byte[]> clearPrefix, IntUnaryOperator codedQuorumOverride) {
        this(variables, clearPrefix, codedQuorumOverride, true);
    }

    /** Coding on, k = N - F, every NORMAL entry coded, nothing kept in clear. */
    public static CraftPolicy defaults() {
        return new CraftPolicy(new CodingParams(true, 0, 0), data -> 0, null);
    }

    /** A fixed k (at least 1; capped at N - F for the cluster it runs in) instead of N - F. */
    public CraftPolicy withDataShards(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("CRaft k=" + k + ": must be at least 1");
        }
        return new CraftPolicy(new CodingParams(variables.on(), k, variables.minCodedBytes()), clearPrefix,
                codedQuorumOverride, adaptive);
    }

    /** Entries whose coded part is shorter stay fully replicated (small values gain nothing from coding). */
    public CraftPolicy withMinCodedBytes(int bytes) {
        return new CraftPolicy(new CodingParams(variables.on(), variables.k(), Math.max(0, bytes)), clearPrefix,
                codedQuorumOverride, adaptive);
    }

    /** Whether this process's variables turn coding on (the cluster's recorded value wins once there is one). */
    public CraftPolicy withCoding(boolean on) {
        return new CraftPolicy(new CodingParams(on, variables.k(), variables.minCodedBytes()), clearPrefix,
                codedQuorumOverride, adaptive);
    }

    /** How many leading bytes of an entry's data every fragment keeps in clear (a key and its metadata). */
    public CraftPolicy withClearPrefix(ToIntFunction<byte[]> prefix) {
        return new CraftPolicy(variables, prefix, codedQuorumOverride, adaptive);
    }

    /**
     * UNSAFE, for fault-injection tests only: commit coded entries once {@code quorum(N)} voters
     * hold them instead of F + k. Anything below F + k loses committed entries.
     */
    public CraftPolicy withUnsafeCodedQuorum(IntUnaryOperator quorum) {
        return new CraftPolicy(variables, clearPrefix, quorum, adaptive);
    }

    /**
     * For comparisons only (benchmarks): false restores the fixed k of before, the cluster's k while
     * F + k voters answered within an election timeout and full copies otherwise, so one slow member
     * stalls coded commits. Safe either way: it only chooses the code of new entries.
     */
    public CraftPolicy withAdaptiveK(boolean on) {
        return new CraftPolicy(variables, clearPrefix, codedQuorumOverride, on);
    }

    /** Whether the leader picks k from the voters that keep up (the default). */
    public boolean adaptiveK() {
        return adaptive;
    }

    /** This process's own values: what a leader records when the cluster has none yet. */
    public CodingParams variables() {
        return variables;
    }

    /** The parameters in force for {@code conf}: the cluster's once recorded, else this process's variables. */
    public CodingParams params(ConfState conf) {
        return conf.coding() != null ? conf.coding() : variables;
    }

    /** The largest k for N voters under this process's variables. */
    public int dataShards(int n) {
        return variables.maxK(n);
    }

    @Override
    public ErasureCoding coding(ConfState conf) {
        if (conf.voters().isEmpty()) {
            return null;
        }
        CodingParams p = params(conf);
        return codings.computeIfAbsent(new ConfState(conf.voters(), java.util.Collections.emptySortedSet(), p),
                c -> new CraftCoding(c.voters(), p.maxK(c.voters().size()), p.minCodedBytes(), clearPrefix));
    }

    /** Full copies: in coded mode the core sends {@link ErasureCoding#encode} fragments instead. */
    @Override
    public Entry payloadFor(long peer, Entry entry) {
        return entry;
    }

    /**
     * The largest index c whose term is the leader's (§5.4.2) such that every uncommitted index
     * up to c is held either in full by a majority, or in full or as distinct fragments of its
     * (k, m) code by F + k voters; indexes some voter reported committed need no count.
     */
    @Override
    public long commitIndex(CommitView view) {
        List<Long> voters = new ArrayList<>(new java.util.TreeSet<>(view.voterMatch().keySet()));
        int n = voters.size();
        if (n == 0) {
            return view.commit();
        }
        int majority = n / 2 + 1;
        long selfMatch = view.voterMatch().getOrDefault(view.self(), 0L);
        long result = view.commit();
        for (long j = view.commit() + 1; ; j++) {
            long t = view.termAt().applyAsLong(j);
            if (t == 0) {
                break;
            }
            boolean known = j <= view.knownCommitted();
            if (!known && !held(view.holders().get(j), voters, view.self(), selfMatch >= j, majority)) {
                break;
            }
            if (known || t == view.term()) {
                result = j;
            }
        }
        return result;
    }

    private boolean held(Holders h, List<Long> voters, long self, boolean selfHolds, int majority) {
        int full = 0;
        Set<Integer> ids = new HashSet<>();
        if (selfHolds) {
            full++;
            ids.add(voters.indexOf(self));
        }
        if (h == null) {
            return full >= majority;
        }
        for (long p : h.full()) {
            if (p != self && voters.contains(p)) {
                full++;
                ids.add(voters.indexOf(p));
            }
        }
        h.fragments().forEach((p, id) -> {
            if (p != self && !h.full().contains(p) && voters.contains(p)) { // a removed voter's share: nothing
                ids.add(id);
            }
        });
        int n = voters.size();
        int codedQuorum = codedQuorumOverride != null ? codedQuorumOverride.applyAsInt(n) : (n - 1) / 2 + h.k();
        return full >= majority || (h.k() > 1 && ids.size() >= codedQuorum);
    }
}
