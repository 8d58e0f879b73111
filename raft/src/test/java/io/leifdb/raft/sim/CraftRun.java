package io.leifdb.raft.sim;

import io.leifdb.raft.CodingParams;
import io.leifdb.raft.CraftPolicy;
import io.leifdb.raft.Entry;
import io.leifdb.raft.ErasureCoding;
import io.leifdb.raft.ConfState;
import io.leifdb.raft.ReplicationPolicy;
import java.util.SplittableRandom;

/**
 * A CRaft scenario's own knobs, carried as the scenario's policy: each node gets {@link #policyFor},
 * the policy of its own variables, which may disagree with the others' (the cluster's recorded
 * parameters must win).
 *
 * @param base              the server's cut (key in clear, value coded) with k = N - F, coding on
 * @param disagreeing       each node draws its own variables: on or off, k in [1, N - F], a threshold
 * @param codingChangeRate  chance per tick during chaos that the leader proposes new parameters through the log
 * @param laggingFollower   during chaos the highest-id node, while not leading, receives heartbeats but no entries
 * @param stallBoundTicks   with a lagging follower: an entry the leader holds must commit within this many ticks
 * @param repair            the leader's scrub runs ({@link SimScrub}), clients stop at healing, and the run ends with
 *                          a quiet phase after which every value must be readable from every majority of the voters
 * @param rebuildFailRate   chance that a snapshot copy's rebuild of a value fails anyway (a gather that times out)
 */
record CraftRun(CraftPolicy base, boolean disagreeing, double codingChangeRate, boolean laggingFollower,
                int stallBoundTicks, boolean repair, double rebuildFailRate) implements ReplicationPolicy {

    CraftRun(CraftPolicy base, boolean disagreeing, double codingChangeRate, boolean laggingFollower, int stallBoundTicks) {
        this(base, disagreeing, codingChangeRate, laggingFollower, stallBoundTicks, false, 0);
    }

    static CraftRun of(ReplicationPolicy p) {
        return p instanceof CraftRun r ? r : new CraftRun((CraftPolicy) p, false, 0, false, 0);
    }

    /** Draws from {@code rnd} only when the variables disagree, so other scenarios replay as before. */
    CraftPolicy policyFor(int n, SplittableRandom rnd) {
        if (!disagreeing) return base;
        return base.withCoding(rnd.nextInt(4) != 0).withDataShards(1 + rnd.nextInt(n - (n - 1) / 2))
                .withMinCodedBytes(rnd.nextInt(3) == 0 ? 12 : 0);
    }

    /** New parameters a leader may propose: on or off, any k from 1 to N - F, a threshold. */
    static CodingParams draw(int n, SplittableRandom rnd) {
        return new CodingParams(rnd.nextInt(5) != 0, 1 + rnd.nextInt(n - (n - 1) / 2), rnd.nextInt(3) == 0 ? 12 : 0);
    }

    @Override
    public Entry payloadFor(long peer, Entry entry) {
        return base.payloadFor(peer, entry);
    }

    @Override
    public long commitIndex(CommitView view) {
        return base.commitIndex(view);
    }

    @Override
    public ErasureCoding coding(ConfState conf) {
        return base.coding(conf);
    }
}
