package io.leifdb.server.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds transports for a loopback cluster with ids 1..n and closes every one it built, so a
 * test cannot leak a server even when it fails.
 */
final class TransportFixture implements AutoCloseable {
    final Map<Long, String> raftAddresses = new HashMap<>();
    final Map<Long, RecordingListener> listeners = new HashMap<>();
    private final List<GrpcTransport> built = new ArrayList<>();

    TransportFixture(int nodes) {
        for (long id = 1; id <= nodes; id++) {
            raftAddresses.put(id, "127.0.0.1:" + freePort());
            listeners.put(id, new RecordingListener());
        }
    }

    static final long CLUSTER = 0x1eaf_dbL;

    static String httpAddressOf(long id) {
        return "127.0.0.1:" + (18080 + id);
    }

    /** A fresh, not yet started transport for node {@code id}. */
    GrpcTransport create(long id, TransportOptions options) {
        RecordingListener listener = new RecordingListener();
        listeners.put(id, listener);
        GrpcTransport t = new GrpcTransport(CLUSTER, id, raftAddresses.get(id), httpAddressOf(id), raftAddresses, listener, options);
        built.add(t);
        return t;
    }

    /** Defaults, but reconnecting quickly so tests of a returning peer stay short. */
    static TransportOptions fast() {
        return new TransportOptions(4096, 32L << 20, 256, 1 << 20, 256 << 20,
                Duration.ofMillis(10), Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    GrpcTransport start(long id) {
        return start(id, fast());
    }

    GrpcTransport start(long id, TransportOptions options) {
        GrpcTransport t = create(id, options);
        try {
            t.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return t;
    }

    RecordingListener listener(long id) {
        return listeners.get(id);
    }

    int port(long id) {
        return HostPort.parse(raftAddresses.get(id)).port();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (GrpcTransport t : built) t.close();
    }
}
