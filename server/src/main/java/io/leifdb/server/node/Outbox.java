package io.leifdb.server.node;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.Message;
import io.leifdb.raft.driver.Sender;
import io.leifdb.server.kv.FollowerShares;
import io.leifdb.server.kv.SnapshotChunk;
import io.leifdb.server.kv.SnapshotInfo;
import io.leifdb.server.kv.SnapshotReader;
import io.leifdb.server.kv.SnapshotStore;
import io.leifdb.server.transport.GrpcTransport;
import io.leifdb.server.transport.SnapshotSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Hands the core's messages to the transport. An InstallSnapshot carries only metadata; the
 * files of the matching snapshot are streamed beside it (§7). Under CRaft each follower gets its
 * own copy of the snapshot, holding its fragments; building it reads the whole snapshot and may
 * rebuild values from peers' shares, so it runs on a thread of its own, never the driver's.
 */
final class Outbox implements Sender {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private final GrpcTransport transport;
    private final SnapshotStore snapshots;
    private final Consumer<DriverEvent> driver;
    /** The follower's view of the values, or null for a snapshot sent as it is (no erasure code). */
    private final BiFunction<Long, ConfState, FollowerShares> shares;
    private final ExecutorService builder = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("snapshot-builder").daemon().factory());
    /** Peers whose copy is being built: the core may ask again before the first is sent. */
    private final Set<Long> building = ConcurrentHashMap.newKeySet();

    Outbox(GrpcTransport transport, SnapshotStore snapshots, Consumer<DriverEvent> driver,
           BiFunction<Long, ConfState, FollowerShares> shares) {
        this.transport = transport;
        this.snapshots = snapshots;
        this.driver = driver;
        this.shares = shares;
    }

    @Override
    public void send(List<Message> messages) {
        boolean snapshots = false;
        for (Message m : messages) snapshots |= m instanceof Message.InstallSnapshot;
        if (!snapshots) {
            transport.send(messages); // one batch per peer for the whole Ready
            return;
        }
        for (Message m : messages) {
            if (m instanceof Message.InstallSnapshot snap) {
                sendSnapshot(snap);
            } else {
                transport.send(m);
            }
        }
    }

    private void sendSnapshot(Message.InstallSnapshot m) {
        try {
            Optional<SnapshotInfo> info = snapshots.list().stream()
                    .filter(s -> s.index() == m.snapshot().meta().index() && s.term() == m.snapshot().meta().term())
                    .findFirst();
            if (info.isEmpty()) {
                log.warn("no snapshot file for index {} to send to {}", m.snapshot().meta().index(), m.to());
                driver.accept(new DriverEvent.SnapshotSent(m.to(), false));
                return;
            }
            FollowerShares forPeer = shares.apply(m.to(), m.snapshot().meta().conf());
            if (forPeer == null) {
                transport.sendSnapshot(m, new ReaderSource(snapshots.reader(info.get())));
            } else if (building.add(m.to())) {
                try {
                    builder.execute(() -> sendCopy(m, info.get(), forPeer));
                } catch (RejectedExecutionException closing) {
                    building.remove(m.to());
                }
            }
        } catch (IOException e) {
            log.warn("cannot open snapshot for {}: {}", m.to(), e.toString());
            driver.accept(new DriverEvent.SnapshotSent(m.to(), false));
        }
    }

    private void sendCopy(Message.InstallSnapshot m, SnapshotInfo info, FollowerShares forPeer) {
        SnapshotReader reader;
        try {
            reader = snapshots.readerFor(info, forPeer);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot build the snapshot copy for {}: {}", m.to(), e.toString());
            driver.accept(new DriverEvent.SnapshotSent(m.to(), false));
            return;
        } finally {
            building.remove(m.to());
        }
        transport.sendSnapshot(m, new ReaderSource(reader));
    }

    /** Stops building snapshot copies; one being built is abandoned with the process. */
    void close() {
        builder.shutdownNow();
    }

    /** The store's chunk reader as the transport's source; chunks pass through unchanged. */
    private static final class ReaderSource implements SnapshotSource {
        private final SnapshotReader reader;

        ReaderSource(SnapshotReader reader) {
            this.reader = reader;
        }

        @Override
        public SnapshotChunk next() {
            return reader.hasNext() ? reader.next() : null;
        }

        @Override
        public void close() {
            reader.close();
        }
    }
}
