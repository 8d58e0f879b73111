package io.leifdb.server.node;

import io.leifdb.raft.Message;
import io.leifdb.server.kv.SnapshotChunk;
import io.leifdb.server.kv.SnapshotInfo;
import io.leifdb.server.kv.SnapshotReader;
import io.leifdb.server.kv.SnapshotStore;
import io.leifdb.server.transport.GrpcTransport;
import io.leifdb.server.transport.SnapshotFileChunk;
import io.leifdb.server.transport.SnapshotSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Hands the core's messages to the transport. An InstallSnapshot carries only metadata; the
 * files of the matching snapshot are streamed beside it (§7).
 */
final class Outbox {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private final GrpcTransport transport;
    private final SnapshotStore snapshots;
    private final Consumer<DriverEvent> driver;

    Outbox(GrpcTransport transport, SnapshotStore snapshots, Consumer<DriverEvent> driver) {
        this.transport = transport;
        this.snapshots = snapshots;
        this.driver = driver;
    }

    void send(List<Message> messages) {
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
            transport.sendSnapshot(m, new ReaderSource(snapshots.reader(info.get())));
        } catch (IOException e) {
            log.warn("cannot open snapshot for {}: {}", m.to(), e.toString());
            driver.accept(new DriverEvent.SnapshotSent(m.to(), false));
        }
    }

    /**
     * Adapts the store's chunk reader to the transport's source. The store marks only the
     * snapshot's final chunk {@code last}; the transport wants the last chunk of every file.
     */
    private static final class ReaderSource implements SnapshotSource {
        private final SnapshotReader reader;
        private SnapshotChunk ahead;

        ReaderSource(SnapshotReader reader) {
            this.reader = reader;
            this.ahead = reader.hasNext() ? reader.next() : null;
        }

        @Override
        public SnapshotFileChunk next() {
            SnapshotChunk c = ahead;
            if (c == null) return null;
            ahead = reader.hasNext() ? reader.next() : null;
            boolean lastOfFile = ahead == null || !ahead.file().equals(c.file());
            return new SnapshotFileChunk(c.file(), c.offset(), c.data(), c.crc32c(), lastOfFile);
        }

        @Override
        public void close() {
            reader.close();
        }
    }
}
