package io.leifdb.server.transport;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

import java.net.SocketAddress;

/** Puts the caller's socket address into each inbound call's context, so refusals can name it. */
final class RemotePeer implements ServerInterceptor {
    private static final Context.Key<String> ADDRESS = Context.key("leifdb-remote-address");

    /** The remote address of the call being served, or "unknown" outside one. */
    static String current() {
        String a = ADDRESS.get();
        return a == null ? "unknown" : a;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        String address = remote == null ? "unknown" : remote.toString().replaceFirst("^/", "");
        return Contexts.interceptCall(Context.current().withValue(ADDRESS, address), call, headers, next);
    }
}
