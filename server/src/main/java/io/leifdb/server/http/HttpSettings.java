package io.leifdb.server.http;

import io.leifdb.server.config.Config;
import io.leifdb.server.config.Exposure;
import io.leifdb.server.config.HttpLimits;
import io.leifdb.server.tls.TlsIdentity;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the HTTP listener needs to know.
 *
 * @param bindHost       the interface to listen on ("0.0.0.0" for all)
 * @param port           the port, 0 for any free one
 * @param requestTimeout how long a request waits for the node before answering 503 (outcome unknown)
 * @param limits         connections, idle time and listing page bytes
 * @param corsOrigins    origins a browser page may call from; {@code ["*"]} for any
 * @param tls            HTTPS when present
 */
public record HttpSettings(String bindHost, int port, int maxKeyBytes, int maxValueBytes, Duration requestTimeout,
                           HttpLimits limits, List<String> corsOrigins, Optional<TlsIdentity> tls) {
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** The worst JSON escape: one byte of value becomes six ("\u0022"). */
    static final int JSON_ESCAPE_FACTOR = 6;

    public HttpSettings {
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(tls, "tls");
        corsOrigins = List.copyOf(corsOrigins);
        if (port < 0 || port > 65535 || maxKeyBytes < 1 || maxValueBytes < 1 || requestTimeout.isNegative()) {
            throw new IllegalArgumentException("invalid HTTP settings " + port + "/" + maxKeyBytes + "/" + maxValueBytes);
        }
    }

    /** Listens on LEIFDB_BIND_ADDRESS (every interface by default) at LEIFDB_HTTP_PORT with the configured limits. */
    public static HttpSettings of(Config config) {
        return new HttpSettings(config.exposure().bindAddress().orElse("0.0.0.0"), config.httpPort(), config.maxKeyBytes(),
                config.maxValueBytes(), DEFAULT_REQUEST_TIMEOUT, config.http(), config.exposure().corsOrigins(),
                config.tls().client());
    }

    /** Loopback only, default limits: for tests and tools. */
    public static HttpSettings loopback(int port) {
        return new HttpSettings("127.0.0.1", port, Config.DEFAULT_MAX_KEY_BYTES, Config.DEFAULT_MAX_VALUE_BYTES,
                DEFAULT_REQUEST_TIMEOUT, HttpLimits.DEFAULT, Exposure.ANY_ORIGIN, Optional.empty());
    }

    public HttpSettings withLimits(int maxKey, int maxValue) {
        return new HttpSettings(bindHost, port, maxKey, maxValue, requestTimeout, limits, corsOrigins, tls);
    }

    public HttpSettings withRequestTimeout(Duration timeout) {
        return new HttpSettings(bindHost, port, maxKeyBytes, maxValueBytes, timeout, limits, corsOrigins, tls);
    }

    public HttpSettings withHttpLimits(HttpLimits l) {
        return new HttpSettings(bindHost, port, maxKeyBytes, maxValueBytes, requestTimeout, l, corsOrigins, tls);
    }

    public HttpSettings withCorsOrigins(List<String> origins) {
        return new HttpSettings(bindHost, port, maxKeyBytes, maxValueBytes, requestTimeout, limits, origins, tls);
    }

    public HttpSettings withTls(TlsIdentity identity) {
        return new HttpSettings(bindHost, port, maxKeyBytes, maxValueBytes, requestTimeout, limits, corsOrigins,
                Optional.of(identity));
    }

    /**
     * The largest body accepted before reading it: room for the value with every byte escaped, plus the
     * envelope; the decoded value is checked exactly afterwards.
     */
    long maxPayloadBytes() {
        return (long) JSON_ESCAPE_FACTOR * maxValueBytes + 1024;
    }

    /** A request line carries the key percent-encoded (3 bytes per byte at worst) plus a query. */
    int maxPrologueBytes() {
        return 3 * maxKeyBytes + 3 * Math.min(maxKeyBytes, 4096) + 8192;
    }

    Duration idleTimeout() {
        return Duration.ofMillis(limits.idleTimeoutMillis());
    }

    /** Idle connections are looked for this often, so one is closed at most a quarter late. */
    Duration idleCheckPeriod() {
        return Duration.ofMillis(Math.max(50, limits.idleTimeoutMillis() / 4));
    }
}
