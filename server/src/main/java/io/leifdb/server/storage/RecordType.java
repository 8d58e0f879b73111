package io.leifdb.server.storage;

/** The kinds of record in the WAL stream. The byte values are on disk: never renumber them. */
enum RecordType {
    /** One Raft entry; an index at or below the last one replaces the suffix from there (§5.3). */
    ENTRY(1),
    HARD_STATE(2),
    CONF_STATE(3),
    /** Entries up to the snapshot index are gone; the log continues after it. */
    COMPACT(4),
    /** A snapshot was installed: every entry is gone and the log restarts after it. */
    RESTORE(5),
    /**
     * An entry of a suffix replacement, laid out as ENTRY; it takes effect only with the
     * REPLACE_COMMIT that follows the whole replacement, so a crash never leaves half of it.
     */
    STAGED_ENTRY(6),
    /** The staged entries [first, last] just written replace the log from first on. */
    REPLACE_COMMIT(7),
    /**
     * Bytes of this segment before {@code synced} were durable when this record, at {@code at},
     * was written: it opens the first write after each fsync, so recovery can tell a hole in the
     * unsynced tail from damage to synced bytes.
     */
    SYNC_MARK(8);

    final byte code;

    RecordType(int code) {
        this.code = (byte) code;
    }

    static RecordType of(byte code) {
        for (RecordType t : values()) {
            if (t.code == code) return t;
        }
        return null;
    }
}
