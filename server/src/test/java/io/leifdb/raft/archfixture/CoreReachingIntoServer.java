package io.leifdb.raft.archfixture;

import io.leifdb.server.storage.SegmentedWal;

/** Breaks the house rule that the core imports nothing of the server: HouseRulesTest must catch it. */
public final class CoreReachingIntoServer {
    SegmentedWal wal;
}
