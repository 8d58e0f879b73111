package io.leifdb.raft;

import java.util.Set;

/**
 * How one Raft node behaves. Times are in ticks; the driver decides how long a tick is.
 *
 * @param id              this node's id, positive
 * @param electionTick    base election timeout; each election draws one in [electionTick, 2*electionTick) (§5.2)
 * @param heartbeatTick   ticks between leader heartbeats, below electionTick
 * @param maxSizePerMsg   byte budget of the entries in one AppendEntries (at least one entry is always sent)
 * @param maxInflightMsgs AppendEntries a leader pipelines to one peer before waiting for replies
 * @param maxInflightBytes payload bytes a leader keeps in flight to one peer in REPLICATE before waiting
 *                        for replies (a CRaft fragment counts its own size); one message always goes when
 *                        none is in flight, however large. {@link Long#MAX_VALUE}: bounded by count only
 * @param preVote         run the pre-vote phase before a real election (thesis §9.6)
 * @param checkQuorum     leader steps down without a live quorum; followers honour a leader lease (§9.6)
 * @param randomSeed      seeds the election timeouts, so a run replays from its seed
 * @param applied         the index the state machine had applied when the node (re)started
 * @param policy          the replication and commit rule; null means {@link PlainRaftPolicy}
 * @param knownServers    servers the driver knows to be of this cluster (it has their identity and
 *                        address), heard even while outside the membership in force, because that
 *                        membership may be stale (thesis §4.1); anyone else is heard only while a
 *                        voter or learner of it. Empty: only the membership in force is heard
 * @param catchingUp      this member lost state it had acknowledged (a wiped or rolled-back disk): it
 *                        grants no vote or pre-vote and never campaigns until a leader has caught it up
 *                        (see {@link CatchUp}); the driver sets it when it knows, starts the node at the
 *                        highest term a majority's worth of the other members report (in the stored
 *                        hard state), and clears its record once {@link SoftState#catchingUp()} turns false
 * @param autoPromotion   whether and when a leader promotes a caught-up learner to voter on its own
 *                        ({@link AutoPromotion}); null means {@link AutoPromotion#OFF}
 * @param plantedBugs     test only: bugs the simulation must catch (see {@link PlantedBug}); always empty in a node
 */
public record RaftConfig(long id, int electionTick, int heartbeatTick, long maxSizePerMsg,
                         int maxInflightMsgs, long maxInflightBytes, boolean preVote, boolean checkQuorum,
                         long randomSeed, long applied, ReplicationPolicy policy, Set<Long> knownServers,
                         boolean catchingUp, AutoPromotion autoPromotion, Set<PlantedBug> plantedBugs) {

    public RaftConfig {
        require(id > 0, "id", id, "a positive node id");
        require(heartbeatTick > 0, "heartbeatTick", heartbeatTick, "at least 1");
        require(electionTick > heartbeatTick, "electionTick", electionTick, "greater than heartbeatTick");
        require(maxSizePerMsg > 0, "maxSizePerMsg", maxSizePerMsg, "at least 1");
        require(maxInflightMsgs > 0, "maxInflightMsgs", maxInflightMsgs, "at least 1");
        require(maxInflightBytes > 0, "maxInflightBytes", maxInflightBytes, "at least 1");
        require(applied >= 0, "applied", applied, "not negative");
        if (policy == null) {
            policy = PlainRaftPolicy.INSTANCE;
        }
        autoPromotion = autoPromotion == null ? AutoPromotion.OFF : autoPromotion;
        knownServers = knownServers == null ? Set.of() : Set.copyOf(knownServers);
        plantedBugs = plantedBugs == null ? Set.of() : Set.copyOf(plantedBugs);
    }

    public RaftConfig(long id, int electionTick, int heartbeatTick, long maxSizePerMsg, int maxInflightMsgs,
                      boolean preVote, boolean checkQuorum, long randomSeed, long applied, ReplicationPolicy policy,
                      Set<Long> knownServers) {
        this(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs, Long.MAX_VALUE, preVote, checkQuorum,
                randomSeed, applied, policy, knownServers, false, AutoPromotion.OFF, Set.of());
    }

    public RaftConfig(long id, int electionTick, int heartbeatTick, long maxSizePerMsg, int maxInflightMsgs,
                      boolean preVote, boolean checkQuorum, long randomSeed, long applied, ReplicationPolicy policy) {
        this(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs, preVote, checkQuorum, randomSeed,
                applied, policy, Set.of());
    }

    /** Ten-tick elections, one-tick heartbeats, 1 MiB batches, 256 in flight, pre-vote and check-quorum on. */
    public static RaftConfig defaults(long id) {
        return new RaftConfig(id, 10, 1, 1 << 20, 256, true, true, id, 0, PlainRaftPolicy.INSTANCE);
    }

    public RaftConfig withFlowControl(long maxBytes, int maxInflight) {
        return new RaftConfig(id, electionTick, heartbeatTick, maxBytes, maxInflight, maxInflightBytes, preVote,
                checkQuorum, randomSeed, applied, policy, knownServers, catchingUp, autoPromotion, plantedBugs);
    }

    /** Bounds the payload bytes in flight to each peer as well as the messages (see {@code maxInflightBytes}). */
    public RaftConfig withMaxInflightBytes(long bytes) {
        return new RaftConfig(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs, bytes, preVote,
                checkQuorum, randomSeed, applied, policy, knownServers, catchingUp, autoPromotion, plantedBugs);
    }

    public RaftConfig withPreVote(boolean on) {
        return new RaftConfig(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs, maxInflightBytes,
                on, checkQuorum, randomSeed, applied, policy, knownServers, catchingUp, autoPromotion, plantedBugs);
    }

    public RaftConfig withCheckQuorum(boolean on) {
        return new RaftConfig(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs, maxInflightBytes,
                preVote, on, randomSeed, applied, policy, knownServers, catchingUp, autoPromotion, plantedBugs);
    }

    public RaftConfig withSeed(long seed) {
        return new RaftConfig(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs, maxInflightBytes,
                preVote, checkQuorum, seed, applied, policy, knownServers, catchingUp, autoPromotion, plantedBugs);
    }

    public RaftConfig withApplied(long index) {
        return new RaftConfig(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs, maxInflightBytes,
                preVote, checkQuorum, randomSeed, index, policy, knownServers, catchingUp, autoPromotion, plantedBugs);
    }

    public RaftConfig withPolicy(ReplicationPolicy p) {
        return new RaftConfig(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs, maxInflightBytes,
                preVote, checkQuorum, randomSeed, applied, p, knownServers, catchingUp, autoPromotion, plantedBugs);
    }

    public RaftConfig withKnownServers(Set<Long> servers) {
        return new RaftConfig(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs, maxInflightBytes,
                preVote, checkQuorum, randomSeed, applied, policy, servers, catchingUp, autoPromotion, plantedBugs);
    }

    public RaftConfig withCatchingUp(boolean on) {
        return new RaftConfig(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs, maxInflightBytes,
                preVote, checkQuorum, randomSeed, applied, policy, knownServers, on, autoPromotion, plantedBugs);
    }

    public RaftConfig withAutoPromotion(AutoPromotion rule) {
        return new RaftConfig(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs, maxInflightBytes,
                preVote, checkQuorum, randomSeed, applied, policy, knownServers, catchingUp, rule, plantedBugs);
    }

    /** Test only: runs with {@code bugs} planted, for the simulation to catch. */
    public RaftConfig withPlantedBugs(Set<PlantedBug> bugs) {
        return new RaftConfig(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs, maxInflightBytes,
                preVote, checkQuorum, randomSeed, applied, policy, knownServers, catchingUp, autoPromotion, bugs);
    }

    public boolean planted(PlantedBug bug) {
        return plantedBugs.contains(bug);
    }

    private static void require(boolean ok, String name, long value, String allowed) {
        if (!ok) {
            throw new IllegalArgumentException("RaftConfig." + name + "=" + value + ": must be " + allowed);
        }
    }
}
