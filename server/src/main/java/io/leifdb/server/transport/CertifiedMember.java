package io.leifdb.server.transport;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.leifdb.server.tls.MemberIdentity;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Binds a call to the member its TLS certificate names ({@link MemberIdentity}): a certificate
 * naming no configured member is refused outright, and one naming members may speak only as them,
 * so a stolen member certificate cannot forge another member's sender id. Without TLS, or with a
 * certificate naming no member at all, any configured member may be claimed (the CA vouches for all).
 */
final class CertifiedMember implements ServerInterceptor {
    private static final Context.Key<Set<Long>> IDS = Context.key("leifdb-certified-member");
    private final GrpcTransport transport;

    CertifiedMember(GrpcTransport transport) {
        this.transport = transport;
    }

    /** Whether the caller of the current call may claim to be {@code id}. */
    static boolean mayClaim(long id) {
        Set<Long> ids = IDS.get();
        return ids == null || ids.contains(id);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Set<Long> ids = certified(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        if (ids != null && ids.isEmpty()) {
            transport.refusals().refuse(RemotePeer.current(), "its certificate names no configured member",
                    call.getMethodDescriptor().getBareMethodName());
            call.close(Status.PERMISSION_DENIED.withDescription("certificate names no member of this cluster"), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        return ids == null ? next.startCall(call, headers)
                : Contexts.interceptCall(Context.current().withValue(IDS, ids), call, headers, next);
    }

    /** Null: no member named (any may be claimed); otherwise the configured peers the certificate names. */
    private Set<Long> certified(SSLSession session) {
        if (session == null) return null;
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return Set.of();
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) return Set.of();
        var named = MemberIdentity.members(leaf);
        if (named.isEmpty()) return null;
        Set<Long> ids = new HashSet<>();
        for (String address : named) {
            try {
                long id = NodeIds.idOf(address);
                if (transport.isPeer(id)) ids.add(id);
                ids.addAll(transport.peersAt(HostPort.parse(address))); // members that joined or moved (issue 13)
            } catch (IllegalArgumentException e) {
                // not host:port: names nobody
            }
        }
        return ids;
    }
}
