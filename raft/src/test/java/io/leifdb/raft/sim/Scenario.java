package io.leifdb.raft.sim;

import io.leifdb.raft.ReplicationPolicy;
import java.util.List;

/**
 * The knobs of one kind of simulated run. Fault rates are chances per Raft tick, except
 * {@code tornCrashRate} (per Ready) and {@code clientRate} (per step and idle client); durations
 * are in ticks. A run draws everything else, the cluster size included, from its seed.
 *
 * @param name            shown in failure reports
 * @param sizes           cluster sizes; seed s uses sizes[s mod sizes.size()]
 * @param chaosTicks      ticks of faults before everything heals
 * @param calmTicks       ticks after healing, in which liveness is checked
 * @param dropRate        chance a message is lost
 * @param duplicateRate   chance a message is delivered twice
 * @param maxDelaySteps   message delay is uniform in [1, maxDelaySteps] steps
 * @param partitionRate   chance to cut links (a symmetric split, a one-way cut or the leader isolated)
 * @param crashRate       chance to crash a node (the leader half the time)
 * @param tornCrashRate   chance per Ready that a node crashes after writing but before fsync
 * @param freezeRate      chance to freeze (pause) a node (the leader most of the time)
 * @param transferRate    chance to ask the leader to transfer leadership
 * @param leaderKillRate  chance that a newly elected leader is crashed or cut off within a few
 *                        steps, before its first entries reach a majority; and that it crashes at
 *                        its first commit of the term, after fsync and before telling anyone
 * @param membershipRate  chance that the leader proposes a single-server membership change:
 *                        remove a voter, add a non-member as learner, or promote a learner
 * @param clientRate      chance per step that an idle client issues an operation
 * @param snapshotEvery   applied entries between local snapshots (log compaction); 0 = never
 * @param maxSizePerMsg   AppendEntries byte budget; 1 sends one entry per message
 * @param policy          the replication and commit rule (null = plain Raft)
 * @param localReads      serve reads from the local state machine at once, skipping ReadIndex (the
 *                        server's {@code ?consistency=stale}); not linearizable, so only for
 *                        proving that the checker catches stale reads
 * @param hostileRate     chance of a burst of forged, out-of-range or replayed messages ({@link HostileInjector})
 * @param wipeRate        chance to crash a follower and erase its disk (issue 12); it restarts empty
 * @param wiped           how a wiped node restarts; anything but the default only proves that the
 *                        simulation catches what the default prevents
 * @param churn           who joins and how learners become voters (issue 13); {@link Churn#NONE} by default
 */
record Scenario(String name, List<Integer> sizes, int chaosTicks, int calmTicks, double dropRate,
                double duplicateRate, int maxDelaySteps, double partitionRate, double crashRate,
                double tornCrashRate, double freezeRate, double transferRate, double leaderKillRate,
                double membershipRate, double clientRate, int snapshotEvery, long maxSizePerMsg, ReplicationPolicy policy,
                boolean localReads, double hostileRate, double wipeRate, Wiped wiped, Churn churn) {

    /**
     * Payload bytes a leader keeps in flight to one follower: a few messages' worth, so that the
     * byte budget, not the 64-message window, pauses a lagging follower (the server's 16 MiB binds
     * the same way against its 512 messages of up to 1 MiB).
     */
    long maxInflightBytes() {
        return Math.max(4 * maxSizePerMsg, 512);
    }

    /**
     * Membership beyond the first members (issue 13).
     *
     * @param spares      empty nodes with ids above the cluster size, running from the start and known to
     *                    every member (as an address book), which the injector adds as learners: the cluster grows
     * @param replaceRate chance per tick that a voter's disk dies for good: it never restarts, and a spare
     *                    joins in its place while its old id stays a member until the injector removes it
     * @param promotion   how learners become voters
     */
    record Churn(int spares, double replaceRate, Promotion promotion) {
        static final Churn NONE = new Churn(0, 0, Promotion.BY_HAND);
    }

    /** How a learner becomes a voter. */
    enum Promotion {
        /** The injector promotes it, as an operator would ({@code RaftConfig.autoPromotion} off). */
        BY_HAND,
        /** The leader promotes it once caught up ({@code RaftConfig.autoPromotion} on, bound drawn from the seed). */
        AUTOMATIC,
        /** Each seed draws one of the two. */
        EITHER
    }

    /** How the server restarts a member whose disk was wiped (issue 12). */
    enum Wiped {
        /** Today: it does not know, and votes at once. */
        VOTES_AT_ONCE,
        /** It starts catching up, at the highest term a majority of the others reports: the design. */
        CATCHES_UP_AT_MAJORITY_TERM
    }

    /** Simulation steps per Raft tick: messages can arrive between ticks, as on a real network. */
    static final int STEPS_PER_TICK = 5;
    static final int ELECTION_TICK = 10;
    static final int HEARTBEAT_TICK = 2;

    static List<Scenario> all() {
        return List.of(calm(), lossyNetwork(), partitions(), crashes(), pausedLeader(), membership(), membershipChurn(),
                membershipRaces(), everything(), figure8(), hostile(), wipedMember(), readRaces());
    }

    static Scenario calm() {
        return new Builder("calm").sizes(1, 3, 4, 5, 7).ticks(150, 100).network(0, 0, 3).transfers(0.01).build();
    }

    static Scenario lossyNetwork() {
        return new Builder("lossy-network").sizes(3, 4, 5).ticks(200, 100).network(0.15, 0.1, 12).transfers(0.01)
                .maxSizePerMsg(200).build();
    }

    static Scenario partitions() {
        return new Builder("partitions").sizes(3, 4, 5, 7).ticks(250, 120).network(0.02, 0.02, 6)
                .partitions(0.04).transfers(0.01).snapshotEvery(30).build();
    }

    static Scenario crashes() {
        return new Builder("crashes").sizes(3, 4, 5).ticks(250, 120).network(0.02, 0.02, 6).crashes(0.03, 0.02)
                .transfers(0.01).snapshotEvery(25).maxSizePerMsg(120).build();
    }

    static Scenario pausedLeader() {
        return new Builder("paused-leader").sizes(3, 5).ticks(250, 120).network(0.01, 0.01, 6).freezes(0.04)
                .clients(0.4).build();
    }

    /**
     * Voters are removed and added back as learners, which the leader promotes once caught up, while
     * nodes crash and links fail.
     */
    static Scenario membership() {
        return new Builder("membership").sizes(3, 4, 5, 7).ticks(300, 120).network(0.02, 0.02, 6).partitions(0.01)
                .crashes(0.01, 0.005).freezes(0.005).transfers(0.01).membership(0.05).snapshotEvery(20)
                .churn(0, 0, Promotion.AUTOMATIC).build();
    }

    /**
     * Issue 13: the cluster grows (new ids join as learners and are promoted by the leader), shrinks
     * (voters removed, the leader too) and replaces members whose disks died for good (a new id joins,
     * the old one stays a member until removed), under partitions, crashes, lost unsynced writes,
     * freezes and leaders killed or moved in the middle of a change.
     */
    static Scenario membershipChurn() {
        return new Builder("membership-churn").sizes(3, 4, 5).ticks(300, 150).network(0.03, 0.02, 8)
                .partitions(0.015).crashes(0.012, 0.006).freezes(0.008).transfers(0.01).leaderKills(0.05)
                .membership(0.08).snapshotEvery(20).maxSizePerMsg(150).churn(3, 0.01, Promotion.EITHER).build();
    }

    /** Every fault at once, over every cluster size: the membership-size sweep. */
    static Scenario everything() {
        return new Builder("everything").sizes(1, 3, 4, 5, 7).ticks(300, 150).network(0.05, 0.05, 10)
                .partitions(0.02).crashes(0.015, 0.01).freezes(0.015).transfers(0.01).leaderKills(0.05)
                .membership(0.02).snapshotEvery(20).maxSizePerMsg(150).churn(0, 0, Promotion.EITHER).build();
    }

    /**
     * Thesis §4.1's 2015 fix in the setting that needs it: four or five voters, a change proposed at
     * almost every tick (learners promoted by the leader as soon as it may), new leaders killed or cut
     * off within a few steps or at their first commit, one entry per AppendEntries and lossy links, so
     * a change of one term is often on a minority when the next leader is elected.
     */
    static Scenario membershipRaces() {
        return new Builder("membership-races").sizes(4, 5).ticks(400, 150).network(0.1, 0.02, 6).partitions(0.03)
                .crashes(0.02, 0.005).leaderKills(0.5).membership(1.0).clients(0.2).snapshotEvery(0).maxSizePerMsg(1)
                .churn(3, 0, Promotion.AUTOMATIC).build();
    }

    /**
     * Forged messages from strangers, out-of-range terms and indexes from anyone, and replays, on top
     * of lossy links, partitions, crashes, freezes, transfers and membership changes (issue 11).
     */
    static Scenario hostile() {
        return new Builder("hostile").sizes(3, 4, 5).ticks(300, 150).network(0.03, 0.03, 8).partitions(0.01)
                .crashes(0.01, 0.005).freezes(0.01).transfers(0.01).leaderKills(0.03).membership(0.02)
                .snapshotEvery(20).maxSizePerMsg(150).hostile(0.3).build();
    }

    /**
     * Every new leader is crashed or cut off within a few steps, or crashes at its first commit
     * before telling anyone, so logs diverge across terms; entries go one per AppendEntries, so a
     * later leader can get an old-term entry onto a majority before any entry of its own term.
     * That is the setting of Figure 8 (§5.4.2).
     */
    static Scenario figure8() {
        return new Builder("figure8").sizes(3).ticks(600, 120).network(0.05, 0, 6).leaderKills(1.0).clients(0.5)
                .snapshotEvery(0).maxSizePerMsg(1).build();
    }

    /**
     * Issue 12: followers are crashed and their disks erased, one at a time, while links fail and
     * nodes crash; a wiped node restarts empty and must not vote until a leader caught it up.
     */
    static Scenario wipedMember() {
        return new Builder("wiped-member").sizes(3, 5).ticks(300, 150).network(0.02, 0.02, 6).partitions(0.03)
                .crashes(0.01, 0.005).wipes(0.03).transfers(0.01).snapshotEvery(30).build();
    }

    /**
     * Reads while leadership moves: new leaders are cut off or crashed soon after they win, leaders
     * crash between an acknowledged write and the heartbeat that tells the others it committed, and
     * leadership is transferred, under a read-heavy load sent to every member (followers forward
     * their ReadIndex requests to the leader).
     */
    static Scenario readRaces() {
        return new Builder("read-races").sizes(3, 5).ticks(300, 120).network(0.01, 0.01, 4).crashes(0.03, 0.005)
                .transfers(0.03).leaderKills(0.5).clients(0.6).snapshotEvery(30).build();
    }

    Scenario withPolicy(ReplicationPolicy p) {
        return new Scenario(name + "+" + p.getClass().getSimpleName(), sizes, chaosTicks, calmTicks, dropRate,
                duplicateRate, maxDelaySteps, partitionRate, crashRate, tornCrashRate, freezeRate, transferRate,
                leaderKillRate, membershipRate, clientRate, snapshotEvery, maxSizePerMsg, p, localReads, hostileRate,
                wipeRate, wiped, churn);
    }

    Scenario withLocalReads() {
        return new Scenario(name + "+local-reads", sizes, chaosTicks, calmTicks, dropRate, duplicateRate,
                maxDelaySteps, partitionRate, crashRate, tornCrashRate, freezeRate, transferRate, leaderKillRate,
                membershipRate, clientRate, snapshotEvery, maxSizePerMsg, policy, true, hostileRate, wipeRate,
                wiped, churn);
    }

    /** Wiped nodes restart the given (weaker) way. */
    Scenario withWiped(Wiped how) {
        return new Scenario(name + "+" + how, sizes, chaosTicks, calmTicks, dropRate, duplicateRate,
                maxDelaySteps, partitionRate, crashRate, tornCrashRate, freezeRate, transferRate, leaderKillRate,
                membershipRate, clientRate, snapshotEvery, maxSizePerMsg, policy, localReads, hostileRate, wipeRate,
                how, churn);
    }

    /** Names the knobs at the call site; anything not set is off (or a plain default). */
    static final class Builder {
        private final String name;
        private List<Integer> sizes = List.of(3);
        private int chaosTicks = 200;
        private int calmTicks = 100;
        private double dropRate;
        private double duplicateRate;
        private int maxDelaySteps = 3;
        private double partitionRate;
        private double crashRate;
        private double tornCrashRate;
        private double freezeRate;
        private double transferRate;
        private double leaderKillRate;
        private double membershipRate;
        private double clientRate = 0.3;
        private int snapshotEvery = 40;
        private long maxSizePerMsg = 1 << 20;
        private double hostileRate;
        private double wipeRate;
        private Churn churn = Churn.NONE;

        Builder(String name) {
            this.name = name;
        }

        Builder sizes(Integer... s) {
            sizes = List.of(s);
            return this;
        }

        Builder ticks(int chaos, int calm) {
            chaosTicks = chaos;
            calmTicks = calm;
            return this;
        }

        Builder network(double drop, double duplicate, int maxDelay) {
            dropRate = drop;
            duplicateRate = duplicate;
            maxDelaySteps = maxDelay;
            return this;
        }

        Builder partitions(double rate) {
            partitionRate = rate;
            return this;
        }

        Builder crashes(double rate, double tornPerReady) {
            crashRate = rate;
            tornCrashRate = tornPerReady;
            return this;
        }

        Builder freezes(double rate) {
            freezeRate = rate;
            return this;
        }

        Builder transfers(double rate) {
            transferRate = rate;
            return this;
        }

        Builder leaderKills(double rate) {
            leaderKillRate = rate;
            return this;
        }

        Builder membership(double rate) {
            membershipRate = rate;
            return this;
        }

        Builder clients(double rate) {
            clientRate = rate;
            return this;
        }

        Builder snapshotEvery(int entries) {
            snapshotEvery = entries;
            return this;
        }

        Builder maxSizePerMsg(long bytes) {
            maxSizePerMsg = bytes;
            return this;
        }

        Builder hostile(double rate) {
            hostileRate = rate;
            return this;
        }

        Builder wipes(double rate) {
            wipeRate = rate;
            return this;
        }

        Builder churn(int spares, double replaceRate, Promotion promotion) {
            churn = new Churn(spares, replaceRate, promotion);
            return this;
        }

        Scenario build() {
            return new Scenario(name, sizes, chaosTicks, calmTicks, dropRate, duplicateRate, maxDelaySteps,
                    partitionRate, crashRate, tornCrashRate, freezeRate, transferRate, leaderKillRate,
                    membershipRate, clientRate, snapshotEvery, maxSizePerMsg, null, false, hostileRate, wipeRate,
                    Wiped.CATCHES_UP_AT_MAJORITY_TERM, churn);
        }
    }
}
