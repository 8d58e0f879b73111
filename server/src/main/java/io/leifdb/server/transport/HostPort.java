package io.leifdb.server.transport;

/** A parsed {@code host:port}; IPv6 literals are written {@code [::1]:port}. */
record HostPort(String host, int port) {
    HostPort {
        if (host.isEmpty()) throw new IllegalArgumentException("empty host");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " is not in 0-65535");
    }

    /** @throws IllegalArgumentException when {@code s} is not {@code host:port} */
    static HostPort parse(String s) {
        String t = s == null ? "" : s.strip();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("'" + s + "' is not host:port");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' has no numeric port");
        }
        return new HostPort(host, port);
    }

    /** The form gRPC targets and log lines use. */
    String target() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
