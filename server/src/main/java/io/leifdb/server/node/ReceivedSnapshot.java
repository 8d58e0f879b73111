package io.leifdb.server.node;

import io.leifdb.server.kv.SnapshotChunk;
import io.leifdb.server.kv.SnapshotInfo;
import io.leifdb.server.kv.SnapshotWriter;
import io.leifdb.server.transport.SnapshotSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/** Stages an incoming snapshot in the store, and logs what arrived or why it was discarded. */
final class ReceivedSnapshot implements SnapshotSink {
    private static final Logger log = LoggerFactory.getLogger(ReceivedSnapshot.class);

    private final SnapshotWriter writer;

    ReceivedSnapshot(SnapshotWriter writer) {
        this.writer = writer;
    }

    @Override
    public void accept(SnapshotChunk c) throws IOException {
        writer.accept(c);
    }

    @Override
    public void finish() throws IOException {
        SnapshotInfo info = writer.finish();
        log.info("received snapshot {}-{} ({} bytes)", info.index(), info.term(), info.sizeBytes());
    }

    @Override
    public void abort() {
        try {
            writer.close();
        } catch (IOException e) {
            log.warn("discarding a failed snapshot transfer: {}", e.toString());
        }
    }
}
