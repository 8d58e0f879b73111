package io.leifdb.server.transport;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.leifdb.raft.Message;
import io.leifdb.raft.craft.Fragment;
import io.leifdb.server.transport.proto.HoldingsQuery;
import io.leifdb.server.transport.proto.HoldingsReply;
import io.leifdb.server.transport.proto.MessageBatch;
import io.leifdb.server.transport.proto.NodeInfo;
import io.leifdb.server.transport.proto.RaftMessage;
import io.leifdb.server.transport.proto.RaftTransportGrpc;
import io.leifdb.server.transport.proto.ShareQuery;
import io.leifdb.server.transport.proto.HeldShare;
import io.leifdb.server.transport.proto.SummaryQuery;
import io.leifdb.server.transport.proto.SummaryReply;
import io.leifdb.server.transport.proto.ShareReply;
import io.leifdb.server.transport.proto.SnapshotAck;
import io.leifdb.server.transport.proto.SnapshotChunk;
import io.leifdb.server.transport.proto.StreamEnd;
import java.util.Arrays;

/**
 * The server side: peers' message streams, Hello, inbound snapshots, CRaft value shares, and Holdings.
 * Every call must name our cluster; Hello, GetShare and Holdings must also come from a configured member.
 * Whether a Raft message's sender may speak is the core's call (it knows the membership in force).
 */
final class InboundService extends RaftTransportGrpc.RaftTransportImplBase {
    /** Keys one ShareSummary answers at most: a few dozen bytes each, so a reply stays small. */
    static final int MAX_SUMMARY = 4096;
    private final GrpcTransport transport;

    InboundService(GrpcTransport transport) {
        this.transport = transport;
    }

    private static io.grpc.StatusRuntimeException denied(String why) {
        return Status.PERMISSION_DENIED.withDescription(why).asRuntimeException();
    }

    @Override
    public StreamObserver<MessageBatch> stream(StreamObserver<StreamEnd> response) {
        String peer = RemotePeer.current();
        return new StreamObserver<>() {
            private long received;
            private boolean refused;

            @Override
            public void onNext(MessageBatch batch) {
                if (refused) return;
                if (!transport.ourCluster(batch.getClusterId(), peer, "message stream")) {
                    refused = true; // one refusal ends the stream: a sender of another cluster has nothing to say
                    response.onError(denied("not a member of this cluster"));
                    return;
                }
                // gRPC calls this serially per stream, so per-peer order is kept without a queue of ours.
                for (RaftMessage p : batch.getMessagesList()) {
                    Message m;
                    try {
                        m = MessageCodec.decode(p);
                    } catch (IllegalArgumentException e) {
                        transport.refusals().refuse(peer, "undecodable: " + e.getMessage(), "message from node " + p.getFrom());
                        continue;
                    }
                    if (!CertifiedMember.mayClaim(m.from())) {
                        transport.refusals().refuse(peer, "its certificate names another member", "message from node " + m.from());
                        continue;
                    }
                    if (m.to() != transport.selfId()) {
                        transport.refusals().refuse(peer, "addressed to node " + m.to(), "message from node " + m.from());
                        continue;
                    }
                    received++;
                    transport.deliver(m, peer);
                }
            }

            @Override
            public void onError(Throwable t) {
                // The sender went away; it reconnects on its own.
            }

            @Override
            public void onCompleted() {
                if (refused) return;
                response.onNext(StreamEnd.newBuilder().setReceived(received).build());
                response.onCompleted();
            }
        };
    }

    /**
     * Answers a member of our cluster with who we are, and notes where it says it listens: a claim the
     * leader only writes to the log for a configured member (and, with mutual TLS, one its certificate names).
     */
    @Override
    public void hello(NodeInfo request, StreamObserver<NodeInfo> response) {
        String peer = RemotePeer.current();
        if (!transport.ourCluster(request.getClusterId(), peer, "Hello")) {
            response.onError(denied("not a member of this cluster"));
        } else if (!transport.isPeer(request.getId()) || !CertifiedMember.mayClaim(request.getId())) {
            transport.refusals().refuse(peer, "node " + request.getId() + " is not a member (or not the one its certificate names)", "Hello");
            response.onError(denied("not a member of this cluster"));
        } else {
            // A member restarted on another address says so here; the leader writes it through the log.
            transport.heardHello(request.getId(), request.getRaftAddress(), request.getHttpAddress());
            response.onNext(transport.selfInfo());
            response.onCompleted();
        }
    }

    /** Whether a unary call names our cluster and comes from a configured member; if not, refuses it. */
    private boolean fromMember(long clusterId, long from, String what, StreamObserver<?> response) {
        String peer = RemotePeer.current();
        if (!transport.ourCluster(clusterId, peer, what)) {
            response.onError(denied("not a member of this cluster"));
            return false;
        }
        if (!transport.isPeer(from) || !CertifiedMember.mayClaim(from)) {
            transport.refusals().refuse(peer, "node " + from + " is not a member (or not the one its certificate names)", what);
            response.onError(denied("not a member of this cluster"));
            return false;
        }
        return true;
    }

    @Override
    public void getShare(ShareQuery q, StreamObserver<ShareReply> response) {
        if (!fromMember(q.getClusterId(), q.getFrom(), "GetShare", response)) return;
        transport.shareSource().lookup(q.getKey(), q.getRevision(), q.getIndex(), q.getTerm()).whenComplete((share, error) -> {
            ShareReply.Builder reply = ShareReply.newBuilder();
            if (share != null) {
                if (share.whole()) reply.setValue(UnsafeByteOperations.unsafeWrap(share.bytes()));
                else reply.setFragment(UnsafeByteOperations.unsafeWrap(slice(share.bytes(), q.getShardOffset(), q.getShardLength())));
            }
            response.onNext(reply.build());
            response.onCompleted();
        });
    }

    /**
     * The fragment with only {@code length} bytes of its shard from {@code offset} (a striped read); the
     * whole fragment when no range was asked or the range does not fit (the reader checks what it got).
     */
    static byte[] slice(byte[] fragment, int offset, int length) {
        if (length <= 0) return fragment;
        try {
            Fragment f = Fragment.fromBytes(fragment);
            if (offset < 0 || offset > f.shard().length - length) return fragment;
            return new Fragment(f.k(), f.m(), f.id(), f.clear(), f.codedLength(),
                    Arrays.copyOfRange(f.shard(), offset, offset + length)).toBytes();
        } catch (IllegalArgumentException malformed) {
            return fragment; // the reader refuses it as it would the whole
        }
    }

    /** CRaft repair: what we store of a range of keys, read from the store on this transport thread. */
    @Override
    public void shareSummary(SummaryQuery q, StreamObserver<SummaryReply> response) {
        if (!fromMember(q.getClusterId(), q.getFrom(), "ShareSummary", response)) return;
        ShareSource.Summary summary;
        try {
            summary = transport.shareSource().summary(q.getAfterKey(), q.getLastKey(), Math.clamp(q.getLimit(), 1, MAX_SUMMARY));
        } catch (RuntimeException e) {
            response.onError(Status.UNAVAILABLE.withDescription("cannot read the store: " + e.getMessage()).asRuntimeException());
            return;
        }
        SummaryReply.Builder reply = SummaryReply.newBuilder().setTruncated(summary.truncated());
        for (ShareSource.Held h : summary.held()) {
            reply.addHeld(HeldShare.newBuilder().setKey(h.key()).setRevision(h.revision()).setIndex(h.index())
                    .setTerm(h.term()).setFragmentId(h.fragmentId()).setK(h.k()).setM(h.m()));
        }
        response.onNext(reply.build());
        response.onCompleted();
    }

    /** A member starting on an empty data directory asks what we hold (see node/FreshStart). */
    @Override
    public void holdings(HoldingsQuery q, StreamObserver<HoldingsReply> response) {
        if (!fromMember(q.getClusterId(), q.getFrom(), "Holdings", response)) return;
        Holdings held = transport.holdings();
        if (held == null) {
            response.onError(Status.UNAVAILABLE.withDescription("not started yet").asRuntimeException());
            return;
        }
        response.onNext(HoldingsReply.newBuilder().setTerm(held.term()).setLastIndex(held.lastIndex()).build());
        response.onCompleted();
    }

    @Override
    public StreamObserver<SnapshotChunk> installSnapshot(StreamObserver<SnapshotAck> response) {
        return new SnapshotReceiver(transport, response, RemotePeer.current());
    }
}
