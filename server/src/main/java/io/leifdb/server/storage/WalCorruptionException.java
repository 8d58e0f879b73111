package io.leifdb.server.storage;

import java.nio.file.Path;

/**
 * A record that was once complete no longer reads back: a bad checksum or an impossible record
 * before the end of the log. Recovery refuses to guess, because cutting there could drop
 * committed entries. The message names the file and the byte offset so an operator can look.
 */
public final class WalCorruptionException extends StorageException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    public WalCorruptionException(Path file, long offset, String problem) {
        super("WAL corrupt in " + file + " at byte offset " + offset + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
