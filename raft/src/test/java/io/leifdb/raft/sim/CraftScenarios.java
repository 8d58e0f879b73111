package io.leifdb.raft.sim;

import io.leifdb.raft.CraftPolicy;
import java.util.List;

/**
 * Simulated runs under CRaft. Logs are never compacted (snapshots of coded state are the server's
 * business), so every committed entry stays in the logs where decodability is checked.
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
        return new Scenario("craft-calm", List.of(3, 4, 5, 7), 150, 100, 0, 0, 3, 0, 0, 0, 0, 0.01, 0.3, 0,
                1 << 20, policy());
    }

    /** Crashes, torn writes, frozen leaders and transfers: leaders change, also during recovery. */
    static Scenario leaderChurn() {
        return new Scenario("craft-leader-churn", List.of(3, 4, 5, 7), 250, 120, 0.02, 0.02, 6, 0, 0.04, 0.02,
                0.04, 0.02, 0.3, 0, 200, policy());
    }

    /** Frequent short partitions: the leader flaps between coded and full mode. */
    static Scenario flapping() {
        return new Scenario("craft-flapping", List.of(3, 4, 5, 7), 250, 120, 0.03, 0.02, 8, 0.08, 0, 0, 0.01, 0.01,
                0.3, 0, 1 << 20, policy());
    }

    static Scenario everything() {
        return new Scenario("craft-everything", List.of(3, 4, 5, 7), 300, 150, 0.05, 0.05, 10, 0.03, 0.02, 0.01,
                0.02, 0.01, 0.3, 0, 150, policy());
    }

    /** The planted bug: coded entries commit once F + 1 voters hold them instead of F + k. */
    static Scenario commitAtFPlusOne() {
        return new Scenario("craft-planted-F+1", List.of(4, 5, 7), 150, 100, 0.01, 0, 6, 0, 0, 0, 0, 0, 0.3, 0,
                1 << 20, policy().withUnsafeCodedQuorum(n -> (n - 1) / 2 + 1));
    }
}
