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
 * and a (k, m) Reed-Solomon code (k + m = N, k <= N - F, by default k = N - F), a leader that
 * hears from at least F + k voters sends each follower only its fragment, and an entry commits
 * once F + k voters hold it: any majority then still holds k fragments. With fewer live voters
 * it sends full copies and commits on a majority of full copies, as plain Raft does.
 *
 * <p>Immutable and shareable; the codes it builds are cached per membership. Membership changes
 * are not supported under this policy (fragment ids are positions among the voters).
 */
public final class CraftPolicy implements ReplicationPolicy {
    private final int fixedK;
    private final int minCodedBytes;
    private final ToIntFunction<byte[]> clearPrefix;
    private final IntUnaryOperator codedQuorumOverride;
    private final Map<Set<Long>, CraftCoding> codings = new ConcurrentHashMap<>();

    private CraftPolicy(int fixedK, int minCodedBytes, ToIntFunction<byte[]> clearPrefix,
                        IntUnaryOperator codedQuorumOverride) {
        this.fixedK = fixedK;
        this.minCodedBytes = minCodedBytes;
        this.clearPrefix = clearPrefix;
        this.codedQuorumOverride = codedQuorumOverride;
    }

    /** k = N - F, every NORMAL entry coded, nothing kept in clear. */
    public static CraftPolicy defaults() {
        return new CraftPolicy(0, 0, data -> 0, null);
    }

    /** A fixed k (1 <= k <= N - F for the cluster it runs in) instead of N - F. */
    public CraftPolicy withDataShards(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("CRaft k=" + k + ": must be at least 1");
        }
        return new CraftPolicy(k, minCodedBytes, clearPrefix, codedQuorumOverride);
    }

    /** Entries whose coded part is shorter stay fully replicated (small values gain nothing from coding). */
    public CraftPolicy withMinCodedBytes(int bytes) {
        return new CraftPolicy(fixedK, Math.max(0, bytes), clearPrefix, codedQuorumOverride);
    }

    /** How many leading bytes of an entry's data every fragment keeps in clear (a key and its metadata). */
    public CraftPolicy withClearPrefix(ToIntFunction<byte[]> prefix) {
        return new CraftPolicy(fixedK, minCodedBytes, prefix, codedQuorumOverride);
    }

    /**
     * UNSAFE, for fault-injection tests only: commit coded entries once {@code quorum(N)} voters
     * hold them instead of F + k. Anything below F + k loses committed entries.
     */
    public CraftPolicy withUnsafeCodedQuorum(IntUnaryOperator quorum) {
        return new CraftPolicy(fixedK, minCodedBytes, clearPrefix, quorum);
    }

    /** k for N voters. */
    public int dataShards(int n) {
        int f = (n - 1) / 2;
        int k = fixedK == 0 ? n - f : fixedK;
        if (k > n - f) {
            throw new IllegalArgumentException("CRaft k=" + k + " with " + n + " voters: must be at most N - F = "
                    + (n - f));
        }
        return k;
    }

    @Override
    public ErasureCoding coding(ConfState conf) {
        if (conf.voters().isEmpty()) {
            return null;
        }
        return codings.computeIfAbsent(Set.copyOf(conf.voters()), v -> {
            int n = v.size();
            int k = dataShards(n);
            return new CraftCoding(conf.voters(), k, n - k, minCodedBytes, clearPrefix);
        });
    }

    /** Full copies: in coded mode the core sends {@link ErasureCoding#encode} fragments instead. */
    @Override
    public Entry payloadFor(long peer, Entry entry) {
        return entry;
    }

    /**
     * The largest index c whose term is the leader's (§5.4.2) such that every uncommitted index
     * up to c is held either in full by a majority, or in full or as distinct fragments by F + k
     * voters; indexes some voter reported committed need no count.
     */
    @Override
    public long commitIndex(CommitView view) {
        List<Long> voters = new ArrayList<>(new java.util.TreeSet<>(view.voterMatch().keySet()));
        int n = voters.size();
        if (n == 0) {
            return view.commit();
        }
        int majority = n / 2 + 1;
        int codedQuorum = codedQuorumOverride != null ? codedQuorumOverride.applyAsInt(n) : (n - 1) / 2 + dataShards(n);
        long selfMatch = view.voterMatch().getOrDefault(view.self(), 0L);
        long result = view.commit();
        for (long j = view.commit() + 1; ; j++) {
            long t = view.termAt().applyAsLong(j);
            if (t == 0) {
                break;
            }
            boolean known = j <= view.knownCommitted();
            if (!known && !held(view.holders().get(j), voters, view.self(), selfMatch >= j, majority, codedQuorum)) {
                break;
            }
            if (known || t == view.term()) {
                result = j;
            }
        }
        return result;
    }

    private static boolean held(Holders h, List<Long> voters, long self, boolean selfHolds, int majority,
                                int codedQuorum) {
        int full = 0;
        Set<Integer> ids = new HashSet<>();
        if (selfHolds) {
            full++;
            ids.add(voters.indexOf(self));
        }
        if (h != null) {
            for (long p : h.full()) {
                if (p != self && voters.contains(p)) {
                    full++;
                    ids.add(voters.indexOf(p));
                }
            }
            h.fragments().forEach((p, id) -> {
                if (p != self && !h.full().contains(p)) {
                    ids.add(id);
                }
            });
        }
        return full >= majority || ids.size() >= codedQuorum;
    }
}
