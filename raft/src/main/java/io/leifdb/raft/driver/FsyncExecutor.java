package io.leifdb.raft.driver;

/**
 * Runs a leader's fsync off the driver's thread (thesis §10.2.1) and, once the ticket is forced,
 * hands it back through {@link RaftDriver#synced} on the driver's thread. Requests may collapse
 * into the newest, which covers the older ones. A failed fsync must stop the node, never report.
 */
public interface FsyncExecutor {
    void request(SyncTicket ticket, long term);
}
