package io.leifdb.server.kv;

/**
 * Tuning of the RocksDB instance behind {@link KvStore}.
 *
 * @param disableWal skip RocksDB's own WAL. Safe because the Raft log replays everything after
 *     the durable applied index, and atomic flush keeps data and applied index together; it
 *     trades a longer replay after a crash for less write amplification.
 * @param writeBufferSize memtable size in bytes; also bounds RocksDB's WAL between flushes
 */
record KvOptions(boolean disableWal, long writeBufferSize) {
    static final KvOptions DEFAULT = new KvOptions(false, 16L << 20);
}
