package io.leifdb.raft.sim;

import io.leifdb.raft.CraftPolicy;

/**
 * Simulated runs under CRaft. Most never compact, so every committed entry stays in the logs where
 * decodability is checked; {@link #snapshots()} compacts, installs per-follower snapshots of coded
 * values (the core's {@code FollowerShare}) and repairs them (the core's {@code Redundancy}, driven by
 * {@link SimScrub}), and checks at the end that every value survives the loss of any F voters.
 */
final class CraftScenarios {
    private CraftScenarios() {
    }

    /** The server's cut: the key in clear, the value coded. */
    static CraftPolicy policy() {
        return CraftPolicy.defaults().withClearPrefix(CraftCommands::clearPrefix);
    }

    /** Coded mode almost throughout; with N = 3 (k = 2) it needs all three nodes live. */
    static Scenario calm() {
        return craft(new Scenario.Builder("craft-calm").sizes(3, 4, 5, 7).ticks(150, 100).network(0, 0, 3)
                .transfers(0.01));
    }

    /** Crashes, torn writes, frozen and killed leaders, transfers: leaders change, also during recovery. */
    static Scenario leaderChurn() {
        return craft(new Scenario.Builder("craft-leader-churn").sizes(3, 4, 5, 7).ticks(250, 120)
                .network(0.02, 0.02, 6).crashes(0.04, 0.02).freezes(0.04).transfers(0.02).leaderKills(0.05)
                .maxSizePerMsg(200));
    }

    /** Frequent short partitions: the leader flaps between coded and full mode. */
    static Scenario flapping() {
        return craft(new Scenario.Builder("craft-flapping").sizes(3, 4, 5, 7).ticks(250, 120).network(0.03, 0.02, 8)
                .partitions(0.08).freezes(0.01).transfers(0.01));
    }

    static Scenario everything() {
        return craft(new Scenario.Builder("craft-everything").sizes(3, 4, 5, 7).ticks(300, 150)
                .network(0.05, 0.05, 10).partitions(0.03).crashes(0.02, 0.01).freezes(0.02).transfers(0.01)
                .leaderKills(0.05).maxSizePerMsg(150));
    }

    /**
     * One follower hears heartbeats but gets no entries for the whole chaos phase (a slow link, a
     * member catching up): the leader must code around it, and what it holds commits within 15 ticks.
     */
    static Scenario laggingFollower() {
        return new Scenario.Builder("craft-lagging-follower").sizes(3, 4, 5, 7).ticks(150, 100).network(0, 0, 3)
                .snapshotEvery(0).membership(0).build()
                .withPolicy(new CraftRun(policy(), false, 0, true, 15));
    }

    /**
     * Members started with variables that disagree (on or off, k, threshold), parameters changed
     * through the log now and then, under crashes, partitions, freezes and transfers: entries of
     * many codes in one log, decoded after leader changes.
     */
    static Scenario reconfigured() {
        return new Scenario.Builder("craft-reconfigured").sizes(3, 4, 5, 7).ticks(250, 120).network(0.02, 0.02, 6)
                .partitions(0.02).crashes(0.02, 0.01).freezes(0.02).transfers(0.01).leaderKills(0.03)
                .maxSizePerMsg(200).snapshotEvery(0).membership(0).build()
                .withPolicy(new CraftRun(policy(), true, 0.05, false, 0));
    }

    /**
     * Voter changes under coding (issue 14, part 4): members removed, added as learners and promoted, between
     * 1 and 7 voters, with k = 2 recorded and changed through the log now and then, under crashes, partitions,
     * freezes, transfers and killed leaders. The core admits a change only when every coded entry stays
     * decodable from every majority of the new voters ({@code CodedVoterChange}), which {@link CraftSim} checks
     * against the committed membership and the leader's.
     */
    static Scenario voterChanges() {
        return new Scenario.Builder("craft-voter-changes").sizes(4, 5, 7).ticks(300, 120).network(0.02, 0.02, 6)
                .partitions(0.01).crashes(0.01, 0.005).freezes(0.01).transfers(0.01).leaderKills(0.03)
                .membership(0.15).maxSizePerMsg(200).snapshotEvery(0).build()
                .withPolicy(new CraftRun(policy().withDataShards(2), false, 0.02, false, 0));
    }

    /**
     * Snapshots of coded state and repair (issue 14, parts 3 and 5): logs compact every 8 entries, so members
     * that crash, freeze or sit behind a partition catch up by InstallSnapshot, each receiving its own shares as
     * the core's {@code FollowerShare} decides; a rebuild fails when fewer than k shares are up, or half the time (a
     * timeout), and the follower keeps the leader's fragment. The leader's scrub ({@link SimScrub}) re-encodes
     * what the core's {@code Redundancy} finds below full redundancy. Clients stop at healing; once the cluster
     * is quiet and a scrub pass is clean, every value must be readable from every majority of the voters.
     */
    static Scenario snapshots() {
        return new Scenario.Builder("craft-snapshots").sizes(3, 4, 5, 7).ticks(250, 100).network(0.02, 0.02, 6)
                .partitions(0.03).crashes(0.03, 0.01).freezes(0.02).transfers(0.01).leaderKills(0.03)
                .maxSizePerMsg(200).snapshotEvery(8).membership(0).build()
                .withPolicy(new CraftRun(policy(), false, 0, false, 0, true, 0.5));
    }

    /** The planted bug: coded entries commit once F + 1 voters hold them instead of F + k. */
    static Scenario commitAtFPlusOne() {
        return new Scenario.Builder("craft-planted-F+1").sizes(4, 5, 7).ticks(150, 100).network(0.01, 0, 6)
                .snapshotEvery(0).build().withPolicy(policy().withUnsafeCodedQuorum(n -> (n - 1) / 2 + 1));
    }

    /** No compaction, no membership changes (CRaft refuses them). */
    private static Scenario craft(Scenario.Builder b) {
        return b.snapshotEvery(0).membership(0).build().withPolicy(policy());
    }
}
