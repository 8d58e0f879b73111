package io.leifdb.server.transport;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.leifdb.raft.Message;
import io.leifdb.server.transport.proto.RaftTransportGrpc;
import io.leifdb.server.transport.proto.SnapshotAck;
import io.leifdb.server.transport.proto.SnapshotChunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;

/**
 * One InstallSnapshot transfer on its own thread: the header chunk, then every chunk of the
 * source, pacing on gRPC flow control so a large snapshot is never buffered whole in memory.
 */
final class SnapshotSender implements ClientResponseObserver<SnapshotChunk, SnapshotAck> {
    private static final Logger log = LoggerFactory.getLogger(SnapshotSender.class);
    private static final long WAIT_MILLIS = 50;

    private final RaftTransportGrpc.RaftTransportStub stub;
    private final Message.InstallSnapshot header;
    private final SnapshotSource source;
    private final BooleanSupplier closed;
    private final CompletableFuture<SnapshotAck> ack = new CompletableFuture<>();
    private final Object readyLock = new Object();
    private ClientCallStreamObserver<SnapshotChunk> call;
    private final long clusterId;

    SnapshotSender(RaftTransportGrpc.RaftTransportStub stub, long clusterId, Message.InstallSnapshot header,
                   SnapshotSource source, BooleanSupplier closed) {
        this.stub = stub;
        this.clusterId = clusterId;
        this.header = header;
        this.source = source;
        this.closed = closed;
    }

    /** Sends everything and waits for the peer's answer; true only when it staged the snapshot. Closes the source. */
    boolean run() {
        try {
            stub.installSnapshot(this);
            call.onNext(SnapshotChunk.newBuilder().setClusterId(clusterId).setHeader(MessageCodec.encode(header)).build());
            for (var c = source.next(); c != null; c = source.next()) {
                if (!awaitReady()) break;
                call.onNext(SnapshotChunk.newBuilder().setClusterId(clusterId)
                        .setFileName(c.file()).setOffset(c.offset())
                        .setData(UnsafeByteOperations.unsafeWrap(c.data()))
                        .setCrc32C(c.crc32c()).setLast(c.last()).build());
            }
            if (closed.getAsBoolean()) {
                call.cancel("transport closed", null);
                return false;
            }
            // The peer may have answered early with a rejection; then there is nothing to complete.
            if (!ack.isDone()) call.onCompleted();
            SnapshotAck a = ack.get();
            if (!a.getOk()) log.warn("peer {} rejected snapshot {}: {}", header.to(), header.snapshot().meta().index(), a.getError());
            return a.getOk();
        } catch (IOException | RuntimeException e) {
            log.warn("snapshot to {} failed", header.to(), e);
            if (call != null) call.cancel("snapshot source failed", e);
            return false;
        } catch (ExecutionException e) {
            log.warn("snapshot to {} failed: {}", header.to(), e.getCause().toString());
            return false;
        } catch (InterruptedException e) {
            call.cancel("transport closed", null);
            Thread.currentThread().interrupt();
            return false;
        } finally {
            GrpcTransport.closeQuietly(source);
        }
    }

    /** False when the call already ended (the peer answered or failed) or the transport closed. */
    private boolean awaitReady() throws InterruptedException {
        synchronized (readyLock) {
            while (!call.isReady() && !ack.isDone() && !closed.getAsBoolean()) readyLock.wait(WAIT_MILLIS);
        }
        return !ack.isDone() && !closed.getAsBoolean();
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SnapshotChunk> requestStream) {
        call = requestStream;
        requestStream.setOnReadyHandler(this::wake);
    }

    @Override
    public void onNext(SnapshotAck value) {
        ack.complete(value);
    }

    @Override
    public void onError(Throwable t) {
        ack.completeExceptionally(t);
        wake();
    }

    @Override
    public void onCompleted() {
        ack.complete(SnapshotAck.newBuilder().setOk(false).setError("no answer").build());
        wake();
    }

    private void wake() {
        synchronized (readyLock) {
            readyLock.notifyAll();
        }
    }
}
