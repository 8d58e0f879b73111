package io.leifdb.raft;

import io.leifdb.raft.ProposalDroppedException.Reason;

/**
 * CRaft (issue 14): which voter changes keep every coded value decodable, and the {@link CodingParams#storedK}
 * a proposal records.
 *
 * <p>Fragment ids are positions among the voters, and a fragment records its own (k, m), so old values
 * stay decodable by the ids they carry; what a change alters is how many distinct shares a majority of
 * the voters in force holds. s ({@code storedK}) bounds, over every coded entry and value, its k plus the
 * current voters that may hold no distinct share of it. A coded entry commits once F + k of N voters hold
 * distinct shares, so up to N - F - k others may lack one (lagging, or holding a copy of a new leader's own
 * fragment): while the cluster codes, s is at least N - F, whatever k. With C' the next voters, maj' =
 * N' - F' and a added voters (who hold nothing), any maj' voters of C' hold at least maj' - (s - k) - a
 * distinct shares, so a change is allowed iff s + a <= maj', and records s' = max(s + a, N' - F' while
 * coding is on). Removing a voter keeps s (it may or may not have held a share). So from an odd number of
 * voters one change is allowed (5 -> 4: 3 <= 3; 3 -> 4: 2 + 1 <= 3), from an even one none (4 -> 3:
 * 3 > 2; 4 -> 5: 3 + 1 > 3). Only an explicit proposal lowers s: the server's repair scrub, once coding is
 * off and every voter holds every value whole (s = 1), after which any change is plain Raft's.
 */
final class CodedVoterChange {
    private CodedVoterChange() {
    }

    /**
     * The bound in force for {@code cur}: recorded; 1 before any parameters are recorded (a leader codes only
     * once they are, {@link CraftLeader}); N - F of its voters for layout 1, which did not record it.
     */
    static int storedK(ConfState cur) {
        return cur.coding() == null ? 1 : cur.coding().storedKFor(cur.voters().size());
    }

    /**
     * Leader: {@code next} as it must be appended (its storedK derived), or a refusal ({@link Reason#CODED})
     * when the voter change could leave a coded value undecodable by some majority of the next voters.
     */
    static ConfState admit(Raft r, ConfState cur, ConfState next) {
        CodingParams p = next.coding();
        if (!(r.policy instanceof CraftPolicy) || p == null) {
            return next;
        }
        int s = storedK(cur);
        int floor = codedFloor(p, next.voters().size());
        if (next.voters().equals(cur.voters())) {
            // A coding change: the proposal may lower s (the scrub, after re-encoding), never below what coding needs.
            int given = p.storedK() > 0 ? p.storedK() : s;
            return next.withCoding(p.withStoredK(Math.max(given, floor)));
        }
        if (s <= 1) {
            return next.withCoding(p.withStoredK(floor)); // nothing is coded: any change is plain Raft's
        }
        int added = (int) next.voters().stream().filter(v -> !cur.voters().contains(v)).count();
        int n = next.voters().size();
        int majority = n - (n - 1) / 2;
        if (s + added > majority && !r.config.planted(PlantedBug.VOTER_CHANGE_IGNORES_STORED_K)) {
            throw new ProposalDroppedException(Reason.CODED, "coded values may need " + s + " distinct shares"
                    + (added > 0 ? " and the added voter holds none" : "") + ", but a majority of " + n
                    + " voters is " + majority + ": turn coding off and wait until the repair scrub has made every"
                    + " value whole (storedK 1), then change and turn coding on again", r.lead);
        }
        return next.withCoding(p.withStoredK(Math.max(s + added, floor)));
    }

    /** The least s while these parameters are in force for n voters: N - F when they code, else 1. */
    static int codedFloor(CodingParams p, int n) {
        return p.maxK(n) >= 2 ? n - (n - 1) / 2 : 1;
    }

    /** Whether {@link #admit} would let this voter change through now (learner promotion asks first). */
    static boolean allows(Raft r, ConfState next) {
        try {
            admit(r, r.tracker.conf, next.coding() == null && r.tracker.conf.coding() != null
                    ? next.withCoding(r.tracker.conf.coding()) : next);
            return true;
        } catch (ProposalDroppedException e) {
            return false;
        }
    }
}
