package io.leifdb.raft.driver;

import java.io.IOException;

/** Everything a {@link LogStore} had written through {@link #lastIndex()} when the ticket was taken. */
public interface SyncTicket {
    long lastIndex();

    /** Makes what the ticket covers durable; may run on any thread. */
    void force() throws IOException;
}
