package io.leifdb.server.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.util.Set;

/**
 * Answers HTTP/1.0 clients. Helidon's HTTP/1 selector only claims connections whose first request line
 * ends in "HTTP/1.1" and closes the others without a word; this one hands HTTP/1.0 connections to the
 * same HTTP/1 connection, which answers them 505 in our JSON shape (Helidon 4.5 serves 1.1 only).
 */
final class Http10Selector implements ServerConnectionSelector {
    private static final String HTTP_1_0 = " HTTP/1.0\r";

    private final Http1ConnectionSelector http1;
    private final int maxPrologue;

    Http10Selector(Http1Config config) {
        this.http1 = Http1ConnectionSelector.builder().config(config).build();
        this.maxPrologue = config.maxPrologueLength();
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData data) {
        int eol = data.indexOf((byte) '\n');
        if (eol < 0) {
            return data.available() > maxPrologue ? Support.UNSUPPORTED : Support.UNKNOWN;
        }
        return data.readString(eol).endsWith(HTTP_1_0) ? Support.SUPPORTED : Support.UNSUPPORTED;
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return Set.of();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        return http1.connection(ctx);
    }
}
