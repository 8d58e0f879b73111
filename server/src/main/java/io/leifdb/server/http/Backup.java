package io.leifdb.server.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A consistent backup the node has taken and holds on its disk until {@link #close()}; GET /backup
 * streams it. Single use: {@link #writeTo} is called at most once.
 */
public interface Backup extends AutoCloseable {
    /** A file name for the download, e.g. {@code leifdb-<cluster>-<index>.zip}. */
    String fileName();

    /** The Raft index of the applied state it holds. */
    long index();

    /** Writes the archive; the caller closes {@code out}. */
    void writeTo(OutputStream out) throws IOException;

    /** Deletes what the node kept for it. */
    @Override
    void close();
}
