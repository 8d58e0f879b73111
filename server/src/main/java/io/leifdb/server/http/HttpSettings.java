package io.leifdb.server.http;

import io.leifdb.server.config.Config;
import java.time.Duration;
import java.util.Objects;

/**
 * What the HTTP listener needs to know.
 *
 * @param bindHost       the interface to listen on ("0.0.0.0" for all)
 * @param port           the port, 0 for any free one
 * @param requestTimeout how long a request waits for the node before answering 503 (outcome unknown)
 */
public record HttpSettings(String bindHost, int port, int maxKeyBytes, int maxValueBytes, Duration requestTimeout) {
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

    public HttpSettings {
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (port < 0 || port > 65535 || maxKeyBytes < 1 || maxValueBytes < 1 || requestTimeout.isNegative()) {
            throw new IllegalArgumentException("invalid HTTP settings " + port + "/" + maxKeyBytes + "/" + maxValueBytes);
        }
    }

    /** Listens on every interface at LEIFDB_HTTP_PORT with the configured key and value limits. */
    public static HttpSettings of(Config config) {
        return new HttpSettings("0.0.0.0", config.httpPort(), config.maxKeyBytes(), config.maxValueBytes(),
                DEFAULT_REQUEST_TIMEOUT);
    }

    /** Loopback only, default limits: for tests and tools. */
    public static HttpSettings loopback(int port) {
        return new HttpSettings("127.0.0.1", port, Config.DEFAULT_MAX_KEY_BYTES, Config.DEFAULT_MAX_VALUE_BYTES,
                DEFAULT_REQUEST_TIMEOUT);
    }

    public HttpSettings withLimits(int maxKey, int maxValue) {
        return new HttpSettings(bindHost, port, maxKey, maxValue, requestTimeout);
    }

    public HttpSettings withRequestTimeout(Duration timeout) {
        return new HttpSettings(bindHost, port, maxKeyBytes, maxValueBytes, timeout);
    }

    /**
     * The largest body accepted before reading it. A JSON string may escape characters, so the body gets
     * room for twice the value plus the envelope; the decoded value is checked exactly afterwards.
     */
    long maxPayloadBytes() {
        return 2L * maxValueBytes + 1024;
    }

    /** A request line carries the key percent-encoded (3 bytes per byte at worst) plus a query. */
    int maxPrologueBytes() {
        return 3 * maxKeyBytes + 3 * Math.min(maxKeyBytes, 4096) + 8192;
    }
}
