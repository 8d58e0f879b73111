package io.leifdb.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Speaks HTTP/1.x over a plain socket, for the bytes a client library refuses to send: paths that are
 * not UTF-8, broken chunking, HTTP/1.0, half-sent requests.
 */
final class RawHttp implements AutoCloseable {
    private final Socket socket;

    RawHttp(int port) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One request, then the server's whole answer up to the end of its body (or the connection's end). */
    static Response exchange(int port, byte[] request) {
        try (RawHttp c = new RawHttp(port)) {
            c.send(request);
            return c.read();
        }
    }

    static Response exchange(int port, String request) {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** {@code head} (request line and headers, CRLF-separated, no final blank line) as Latin-1, then the body. */
    static byte[] request(String head, byte[] body) {
        byte[] h = (head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    void send(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True once the server has closed the connection (a read sees the end, or a reset). */
    boolean closedByServer() {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void readTimeout(int millis) {
        try {
            socket.setSoTimeout(millis);
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one response: status line, headers, and a body framed by Content-Length, chunks or close. */
    Response read() {
        return read(false);
    }

    /** Reads one response to a HEAD request, which has headers only whatever they say. */
    Response readHead() {
        return read(true);
    }

    private Response read(boolean head) {
        try {
            InputStream in = socket.getInputStream();
            String status = line(in);
            if (status == null) {
                return new Response(-1, "", Map.of(), new byte[0]);
            }
            Map<String, String> headers = new TreeMap<>();
            for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
                int colon = l.indexOf(':');
                headers.put(l.substring(0, colon).strip().toLowerCase(Locale.ROOT), l.substring(colon + 1).strip());
            }
            String[] parts = status.split(" ", 3);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (head) {
                return new Response(Integer.parseInt(parts[1]), parts[0], headers, new byte[0]);
            } else if (headers.containsKey("content-length")) {
                body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                for (int n = Integer.parseInt(line(in).strip(), 16); n > 0; n = Integer.parseInt(line(in).strip(), 16)) {
                    body.write(in.readNBytes(n));
                    line(in);
                }
                line(in);
            } else if (!"close".equalsIgnoreCase(headers.get("connection")) && !status.startsWith("HTTP/1.0")) {
                return new Response(Integer.parseInt(parts[1]), parts[0], headers, new byte[0]);
            } else {
                body.write(in.readAllBytes());
            }
            return new Response(Integer.parseInt(parts[1]), parts[0], headers, body.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket the server may already have reset
        }
    }

    /** A response as the wire carried it; status -1 when the server closed without answering. */
    record Response(int status, String version, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
