package io.leifdb.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A node for the client's tests: a JDK HTTP server whose answers each test scripts, recording what it was asked. */
final class FakeNode implements AutoCloseable {
    /** One scripted answer; may throw to drop the connection without an answer. */
    @FunctionalInterface
    interface Script {
        void answer(HttpExchange ex, int n) throws IOException;
    }

    /** One request as it arrived. */
    record Seen(String method, String uri, String ifMatch, String ifNoneMatch, String authorization, String body) {
    }

    final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    FakeNode(Script script) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getRawPath()
                    + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()),
                    ex.getRequestHeaders().getFirst("If-Match"), ex.getRequestHeaders().getFirst("If-None-Match"),
                    ex.getRequestHeaders().getFirst("Authorization"), body));
            try {
                script.answer(ex, seen.size());
            } finally {
                ex.close();
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static void json(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void redirect(HttpExchange ex, String to) throws IOException {
        ex.getResponseHeaders().set("Location", to + ex.getRequestURI());
        ex.sendResponseHeaders(307, -1);
    }

    static void unavailable(HttpExchange ex, String code) throws IOException {
        ex.getResponseHeaders().set("Retry-After", "1");
        json(ex, 503, "{\"error\":\"" + code + " for now\",\"code\":\"" + code + "\"}");
    }

    /** Drops the connection after the request arrived: the client cannot know what happened. */
    static void hangUp(HttpExchange ex) throws IOException {
        throw new IOException("hung up on purpose");
    }

    /** A port nothing listens on. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
