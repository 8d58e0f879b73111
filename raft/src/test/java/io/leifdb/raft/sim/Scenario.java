package io.leifdb.raft.sim;

import io.leifdb.raft.ReplicationPolicy;
import java.util.List;

/**
 * The knobs of one kind of simulated run. Rates are chances per Raft tick (faults) or per
 * simulation step (clients); durations are in ticks. A run draws everything else from its seed.
 *
 * @param name            shown in failure reports
 * @param sizes           cluster sizes; each seed picks one
 * @param chaosTicks      ticks of faults before everything heals
 * @param calmTicks       ticks after healing, in which liveness is checked
 * @param dropRate        chance a message is lost
 * @param duplicateRate   chance a message is delivered twice
 * @param maxDelaySteps   message delay is uniform in [1, maxDelaySteps] steps
 * @param partitionRate   chance per tick to cut links (symmetric split, one-way cut or leader isolation)
 * @param crashRate       chance per tick to crash a node
 * @param tornCrashRate   chance per Ready that a node crashes after writing but before fsync
 * @param freezeRate      chance per tick to freeze (pause) the leader or a random node
 * @param transferRate    chance per tick to ask the leader to transfer leadership
 * @param clientRate      chance per step that an idle client issues an operation
 * @param snapshotEvery   applied entries between local snapshots (log compaction); 0 = never
 * @param maxSizePerMsg   AppendEntries byte budget; tiny values send one entry at a time
 * @param policy          the replication and commit rule (null = plain Raft)
 */
record Scenario(String name, List<Integer> sizes, int chaosTicks, int calmTicks, double dropRate,
                double duplicateRate, int maxDelaySteps, double partitionRate, double crashRate,
                double tornCrashRate, double freezeRate, double transferRate, double clientRate,
                int snapshotEvery, long maxSizePerMsg, ReplicationPolicy policy) {

    /** Simulation steps per Raft tick: messages can arrive between ticks, as on a real network. */
    static final int STEPS_PER_TICK = 5;
    static final int ELECTION_TICK = 10;
    static final int HEARTBEAT_TICK = 2;

    Scenario withPolicy(ReplicationPolicy p) {
        return new Scenario(name + "+" + p.getClass().getSimpleName(), sizes, chaosTicks, calmTicks, dropRate,
                duplicateRate, maxDelaySteps, partitionRate, crashRate, tornCrashRate, freezeRate, transferRate,
                clientRate, snapshotEvery, maxSizePerMsg, p);
    }

    static Scenario calm() {
        return new Scenario("calm", List.of(1, 3, 4, 5, 7), 150, 100, 0, 0, 3, 0, 0, 0, 0, 0.01, 0.3, 40,
                1 << 20, null);
    }

    static Scenario lossyNetwork() {
        return new Scenario("lossy-network", List.of(3, 4, 5), 200, 100, 0.15, 0.1, 12, 0, 0, 0, 0, 0.01, 0.3,
                40, 200, null);
    }

    static Scenario partitions() {
        return new Scenario("partitions", List.of(3, 4, 5, 7), 250, 120, 0.02, 0.02, 6, 0.04, 0, 0, 0, 0.01,
                0.3, 30, 1 << 20, null);
    }

    static Scenario crashes() {
        return new Scenario("crashes", List.of(3, 4, 5), 250, 120, 0.02, 0.02, 6, 0, 0.03, 0.02, 0, 0.01, 0.3,
                25, 120, null);
    }

    static Scenario pausedLeader() {
        return new Scenario("paused-leader", List.of(3, 5), 250, 120, 0.01, 0.01, 6, 0, 0, 0, 0.04, 0, 0.4, 30,
                1 << 20, null);
    }

    static Scenario everything() {
        return new Scenario("everything", List.of(1, 3, 4, 5, 7), 300, 150, 0.05, 0.05, 10, 0.02, 0.015, 0.01,
                0.015, 0.01, 0.3, 20, 150, null);
    }

    /**
     * Leaders crash or get cut off while holding entries of their own term that only some
     * followers have, one entry per AppendEntries, so that a later leader may hold an old-term
     * entry on a majority without an entry of its own term: the setting of Figure 8 (§5.4.2).
     */
    static Scenario figure8() {
        return new Scenario("figure8", List.of(3, 5), 300, 120, 0.05, 0, 6, 0.03, 0.04, 0.03, 0.01, 0.01, 0.5,
                0, 1, null);
    }

    static List<Scenario> all() {
        return List.of(calm(), lossyNetwork(), partitions(), crashes(), pausedLeader(), everything(), figure8());
    }
}
