package io.leifdb.server.node;

import io.leifdb.server.kv.SnapshotChunk;
import io.leifdb.server.kv.SnapshotInfo;
import io.leifdb.server.kv.SnapshotWriter;
import io.leifdb.server.transport.SnapshotFileChunk;
import io.leifdb.server.transport.SnapshotSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Stages an incoming snapshot in the store. The transport marks the last chunk of each file;
 * the store wants only the snapshot's final chunk marked, so each chunk is held back by one.
 */
final class ReceivedSnapshot implements SnapshotSink {
    private static final Logger log = LoggerFactory.getLogger(ReceivedSnapshot.class);

    private final SnapshotWriter writer;
    private SnapshotFileChunk held;

    ReceivedSnapshot(SnapshotWriter writer) {
        this.writer = writer;
    }

    @Override
    public void accept(SnapshotFileChunk c) throws IOException {
        if (held != null) writer.accept(convert(held, false));
        held = c;
    }

    @Override
    public void finish() throws IOException {
        if (held == null) throw new IOException("empty snapshot transfer");
        writer.accept(convert(held, true));
        held = null;
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

    private static SnapshotChunk convert(SnapshotFileChunk c, boolean last) {
        return new SnapshotChunk(c.fileName(), c.offset(), c.data(), c.crc32c(), last);
    }
}
