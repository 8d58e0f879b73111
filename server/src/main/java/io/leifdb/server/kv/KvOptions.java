package io.leifdb.server.kv;

/**
 * Tuning of the RocksDB instance behind {@link KvStore}.
 *
 * @param disableWal skip RocksDB's own WAL. Safe because the Raft log replays everything after
 *     the durable applied index, and atomic flush keeps data and applied index together; it
 *     trades a longer replay after a crash for less write amplification.
 * @param writeBufferSize memtable size in bytes; also bounds RocksDB's WAL between flushes
 * @param historyRevisions how many revisions of changes the watch history keeps (see {@link KvStore#watch})
 */
record KvOptions(boolean disableWal, long writeBufferSize, long historyRevisions) {
    /** A watcher may reconnect after a second or two of heavy writes, minutes of light ones; the history stays a few MiB. */
    static final long DEFAULT_HISTORY_REVISIONS = 10_000;
    /** RocksDB's WAL off: every entry is already in the Raft WAL, and writing it twice cost the apply path a syscall per batch. */
    static final KvOptions DEFAULT = new KvOptions(true, 16L << 20);

    KvOptions(boolean disableWal, long writeBufferSize) {
        this(disableWal, writeBufferSize, DEFAULT_HISTORY_REVISIONS);
    }
}
