package io.leifdb.server.transport;

import io.grpc.stub.StreamObserver;
import io.leifdb.raft.Message;
import io.leifdb.server.transport.proto.SnapshotAck;
import io.leifdb.server.transport.proto.SnapshotChunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One inbound InstallSnapshot stream. Checks every chunk (CRC32C, contiguous offsets, whole
 * files) before the sink sees it, and hands the header to the core only after the sink has
 * staged everything, so the core never installs a snapshot whose files are missing (§7).
 */
final class SnapshotReceiver implements StreamObserver<SnapshotChunk> {
    private static final Logger log = LoggerFactory.getLogger(SnapshotReceiver.class);

    private final GrpcTransport transport;
    private final StreamObserver<SnapshotAck> response;
    private final String peer;
    /** Next expected offset per file; -1 once its last chunk arrived. */
    private final Map<String, Long> files = new HashMap<>();
    private Message.InstallSnapshot header;
    private SnapshotSink sink;
    private boolean done;

    SnapshotReceiver(GrpcTransport transport, StreamObserver<SnapshotAck> response, String peer) {
        this.transport = transport;
        this.response = response;
        this.peer = peer;
    }

    @Override
    public void onNext(SnapshotChunk chunk) {
        if (done) return;
        if (!transport.ourCluster(chunk.getClusterId(), peer, "snapshot chunk")) {
            fail("not a member of this cluster");
            return;
        }
        try {
            if (header == null) {
                open(chunk);
            } else {
                accept(chunk);
            }
        } catch (IOException | RuntimeException e) {
            fail(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private void open(SnapshotChunk chunk) throws IOException {
        if (!chunk.hasHeader() || !(MessageCodec.decode(chunk.getHeader()) instanceof Message.InstallSnapshot h)) {
            throw new IOException("first chunk must carry the InstallSnapshot header");
        }
        if (h.to() != transport.selfId()) {
            throw new IOException("snapshot for node " + h.to() + " reached node " + transport.selfId());
        }
        if (!transport.isPeer(h.from()) || !CertifiedMember.mayClaim(h.from())) {
            // Nothing is staged on disk for a sender that is not a member.
            transport.refusals().refuse(peer, "node " + h.from() + " is not a member", "snapshot");
            throw new IOException("node " + h.from() + " is not a member");
        }
        header = h;
        sink = transport.openSnapshotSink(h);
    }

    private void accept(SnapshotChunk chunk) throws IOException {
        if (chunk.hasHeader()) throw new IOException("second header in one snapshot stream");
        byte[] data = chunk.getData().toByteArray();
        // The proto message of the same name is this chunk's wire form.
        var c = new io.leifdb.server.kv.SnapshotChunk(chunk.getFileName(), chunk.getOffset(), data,
                chunk.getCrc32C(), chunk.getLast());
        if (!c.intact()) {
            throw new IOException("crc32c mismatch in " + c.file() + " at offset " + c.offset());
        }
        long expected = files.getOrDefault(c.file(), 0L);
        if (expected < 0) throw new IOException(c.file() + " continues after its last chunk");
        if (c.offset() != expected) {
            throw new IOException(c.file() + " expected offset " + expected + " but got " + c.offset());
        }
        files.put(c.file(), c.last() ? -1L : expected + data.length);
        sink.accept(c);
    }

    @Override
    public void onCompleted() {
        if (done) return;
        try {
            if (header == null) throw new IOException("empty snapshot stream");
            for (var f : files.entrySet()) {
                if (f.getValue() >= 0) throw new IOException(f.getKey() + " ended without its last chunk");
            }
            sink.finish();
        } catch (IOException | RuntimeException e) {
            fail(e.getMessage() == null ? e.toString() : e.getMessage());
            return;
        }
        done = true;
        transport.deliver(header, peer);
        response.onNext(SnapshotAck.newBuilder().setOk(true).build());
        response.onCompleted();
    }

    @Override
    public void onError(Throwable t) {
        // The sender cancelled or the connection dropped: throw away what was staged.
        if (done) return;
        done = true;
        abortSink();
    }

    private void abortSink() {
        if (sink == null) return;
        try {
            sink.abort();
        } catch (RuntimeException e) {
            log.warn("snapshot sink failed to abort", e);
        }
    }

    private void fail(String reason) {
        log.warn("rejecting snapshot{}: {}", header == null ? "" : " from " + header.from(), reason);
        done = true;
        abortSink();
        response.onNext(SnapshotAck.newBuilder().setOk(false).setError(reason).build());
        response.onCompleted();
    }
}
