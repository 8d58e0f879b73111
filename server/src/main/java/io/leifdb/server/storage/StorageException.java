package io.leifdb.server.storage;

/**
 * The write-ahead log could not do its job: a write or fsync failed (disk full, I/O error) or
 * the files on disk are unreadable. Unchecked because {@link io.leifdb.raft.LogStorage} reads
 * cannot declare checked exceptions; the node treats it as fatal and restarts from disk.
 */
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
