package io.leifdb.server.transport;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.stub.StreamObserver;
import io.leifdb.raft.Message;
import io.leifdb.server.transport.proto.MessageBatch;
import io.leifdb.server.transport.proto.NodeInfo;
import io.leifdb.server.transport.proto.RaftMessage;
import io.leifdb.server.transport.proto.RaftTransportGrpc;
import io.leifdb.server.transport.proto.ShareQuery;
import io.leifdb.server.transport.proto.ShareReply;
import io.leifdb.server.transport.proto.SnapshotAck;
import io.leifdb.server.transport.proto.SnapshotChunk;
import io.leifdb.server.transport.proto.StreamEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The server side: peers' message streams, Hello, inbound snapshots, and CRaft value shares. */
final class InboundService extends RaftTransportGrpc.RaftTransportImplBase {
    private static final Logger log = LoggerFactory.getLogger(InboundService.class);

    private final GrpcTransport transport;

    InboundService(GrpcTransport transport) {
        this.transport = transport;
    }

    @Override
    public StreamObserver<MessageBatch> stream(StreamObserver<StreamEnd> response) {
        return new StreamObserver<>() {
            private long received;

            @Override
            public void onNext(MessageBatch batch) {
                // gRPC calls this serially per stream, so per-peer order is kept without a queue of ours.
                for (RaftMessage p : batch.getMessagesList()) {
                    Message m;
                    try {
                        m = MessageCodec.decode(p);
                    } catch (IllegalArgumentException e) {
                        log.warn("dropping undecodable message from {}: {}", p.getFrom(), e.getMessage());
                        continue;
                    }
                    if (m.to() != transport.selfId()) {
                        log.warn("dropping message for node {} that reached node {}", m.to(), transport.selfId());
                        continue;
                    }
                    received++;
                    transport.deliver(m);
                }
            }

            @Override
            public void onError(Throwable t) {
                // The sender went away; it reconnects on its own.
            }

            @Override
            public void onCompleted() {
                response.onNext(StreamEnd.newBuilder().setReceived(received).build());
                response.onCompleted();
            }
        };
    }

    @Override
    public void hello(NodeInfo request, StreamObserver<NodeInfo> response) {
        transport.learnHttpAddress(request.getId(), request.getHttpAddress());
        response.onNext(transport.selfInfo());
        response.onCompleted();
    }

    @Override
    public void getShare(ShareQuery q, StreamObserver<ShareReply> response) {
        transport.shareSource().lookup(q.getKey(), q.getIndex(), q.getTerm()).whenComplete((share, error) -> {
            ShareReply.Builder reply = ShareReply.newBuilder();
            if (share != null) {
                ByteString bytes = UnsafeByteOperations.unsafeWrap(share.bytes());
                if (share.whole()) reply.setValue(bytes);
                else reply.setFragment(bytes);
            }
            response.onNext(reply.build());
            response.onCompleted();
        });
    }

    @Override
    public StreamObserver<SnapshotChunk> installSnapshot(StreamObserver<SnapshotAck> response) {
        return new SnapshotReceiver(transport, response);
    }
}
