package io.leifdb.server.kv;

import java.io.IOException;

/**
 * The steps of {@link KvStore#installSnapshot}, in order (the three after SHARES_KEPT only when a share was
 * kept); the pointer flip is the commit point.
 */
enum InstallStep {
    /** The snapshot's files are linked or copied into a new generation directory. */
    FILES_PLACED,
    /** Those files and the directory are fsynced. */
    FILES_SYNCED,
    /** The new generation opened as a database and holds the snapshot's applied index. */
    NEW_DB_OPENED,
    /** CRaft: the old generation's shares the snapshot offers less of are written into the new one and synced. */
    SHARES_KEPT,
    /** CRaft, when shares were kept: a checkpoint of the new generation is sealed beside the stored snapshot. */
    MERGED_COPY_SEALED,
    /** The received snapshot is renamed away: until the next rename no snapshot has its name; an open finishes it. */
    RECEIVED_SET_ASIDE,
    /** The stored snapshot is the merged copy, the state this member sends when it leads. */
    SNAPSHOT_REPLACED,
    /** CURRENT names the new generation: from here a restart sees the new state. */
    POINTER_FLIPPED,
    /** Readers and apply use the new database; the old one is closed. */
    LIVE_SWAPPED,
    /** The old generation directory is deleted. */
    OLD_DELETED;

    /** A test seam: called after each step; a throw stands in for a crash right there. */
    @FunctionalInterface
    interface Hook {
        Hook NONE = step -> {
        };

        void reached(InstallStep step) throws IOException;
    }
}
