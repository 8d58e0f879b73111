package io.leifdb.raft;

/** Where a snapshot sits in the log: the last index and term it covers, and the membership then. */
public record SnapshotMeta(long index, long term, ConfState conf) {
}
