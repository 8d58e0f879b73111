package io.leifdb.server.node;

import io.leifdb.raft.Message;
import io.leifdb.server.kv.ApplyResult;
import io.leifdb.raft.driver.SyncTicket;
import io.leifdb.server.transport.ShareSource;

import java.util.concurrent.CompletableFuture;

/** What other threads hand the driver's thread ({@link DriverLoop}); only that thread touches the core. */
sealed interface DriverEvent {
    /** {@code origin} is the sender's socket address, named when the core refuses the message. */
    record Inbound(Message message, String origin) implements DriverEvent {
    }

    record Propose(byte[] command, CompletableFuture<ApplyResult.Outcome> result) implements DriverEvent {
    }

    /** Completes (with the read index) once a linearizable read may be served from the local state machine. */
    record ReadBarrier(CompletableFuture<Long> ready) implements DriverEvent {
    }

    record SnapshotSent(long peer, boolean ok) implements DriverEvent {
    }

    record Unreachable(long peer) implements DriverEvent {
    }

    /** The {@link WalSyncer} made {@code ticket} durable, requested while this node led in {@code term}. */
    record Synced(SyncTicket ticket, long term) implements DriverEvent {
    }

    /** CRaft reads: a peer's share looked up in the log, which only the driver may read (see LogShares). */
    record ShareLookup(String key, long index, long term, CompletableFuture<ShareSource.Share> result)
            implements DriverEvent {
    }

    /** A lone member need not wait out an election timeout before leading. */
    record Campaign() implements DriverEvent {
    }
}
