package io.leifdb.raft.lin;

/** How a client operation ended, as far as the client could tell. */
public enum Outcome {
    /** The server confirmed it; for a read, the returned value is known. */
    OK,
    /** It certainly had no effect (rejected before anything was proposed). Such operations are dropped. */
    FAILED,
    /**
     * It may or may not have taken effect (timeout, 5xx after proposing, dropped connection). A write
     * ending this way stays in the history with a return time of infinity; a read is dropped.
     */
    UNKNOWN
}
