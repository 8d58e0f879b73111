package io.leifdb.server.backup;

import java.io.IOException;

/** A backup file that is not one, or is damaged or truncated; the message is one line for an operator. */
public final class BackupException extends IOException {
    private static final long serialVersionUID = 1L;

    public BackupException(String message) {
        super(message);
    }
}
