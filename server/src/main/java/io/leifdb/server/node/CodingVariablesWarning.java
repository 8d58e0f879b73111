package io.leifdb.server.node;

import io.leifdb.raft.CodingParams;
import io.leifdb.raft.ConfState;
import io.leifdb.raft.CraftPolicy;
import io.leifdb.raft.ReplicationPolicy;
import io.leifdb.server.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs once when this member's LEIFDB_ERASURE_* variables disagree with the coding parameters the
 * cluster recorded in its log: the cluster's values win, and the operator should know that the
 * variables changed nothing. Called on the driver thread after every step; costs a comparison.
 */
final class CodingVariablesWarning {
    private static final Logger log = LoggerFactory.getLogger(CodingVariablesWarning.class);

    private final CodingParams variables;
    private boolean warned;

    CodingVariablesWarning(ReplicationPolicy policy) {
        this.variables = policy instanceof CraftPolicy p ? p.variables() : null;
    }

    void check(ConfState conf) {
        CodingParams cluster = conf.coding();
        if (warned || variables == null || cluster == null) return;
        int n = conf.voters().size();
        boolean same = cluster.on() == variables.on() && cluster.maxK(n) == variables.maxK(n)
                && cluster.minCodedBytes() == variables.minCodedBytes();
        if (same) return;
        warned = true;
        log.warn("this member's variables ({}={}, {}={}, {}={}) differ from the cluster's coding parameters in the log"
                        + " (on={}, k={}, threshold={}); the cluster's values apply (change them with PUT /cluster/coding)",
                Config.ERASURE_CODING, variables.on() ? "on" : "off", Config.ERASURE_K, variables.maxK(n),
                Config.ERASURE_THRESHOLD, variables.minCodedBytes(), cluster.on(), cluster.maxK(n), cluster.minCodedBytes());
    }
}
