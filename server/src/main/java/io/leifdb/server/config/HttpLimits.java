package io.leifdb.server.config;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * How much the client HTTP listener lets its clients hold: connections, idle time, the time to send a
 * request's head, and the bytes of one listing page.
 *
 * @param idleTimeoutMillis   a connection that has not started a request for this long is closed (a
 *                            request line that stalls half-way on a kept-alive connection included)
 * @param headerTimeoutMillis a new connection's first request head, and every request's header block
 *                            once its request line has arrived, must be complete within this; the
 *                            body is not bounded by it, so slow large uploads still work
 * @param maxConnections      connections served at once; more wait in the kernel's backlog
 * @param pageBytes           value bytes one listing page may carry before it ends with a cursor
 */
public record HttpLimits(long idleTimeoutMillis, long headerTimeoutMillis, int maxConnections, long pageBytes) {
    public static final String IDLE_TIMEOUT_MS = "LEIFDB_HTTP_IDLE_TIMEOUT_MS";
    public static final String HEADER_TIMEOUT_MS = "LEIFDB_HTTP_HEADER_TIMEOUT_MS";
    public static final String MAX_CONNECTIONS = "LEIFDB_HTTP_MAX_CONNECTIONS";
    public static final String PAGE_BYTES = "LEIFDB_HTTP_PAGE_BYTES";

    public static final long DEFAULT_IDLE_TIMEOUT_MS = 30_000;
    public static final long DEFAULT_HEADER_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final long DEFAULT_PAGE_BYTES = 4L << 20;
    /** File descriptors kept for RocksDB, the WAL, gRPC and the JVM when the default cap is derived. */
    static final long RESERVED_FDS = 512;

    public static final HttpLimits DEFAULT = new HttpLimits(DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_HEADER_TIMEOUT_MS,
            DEFAULT_MAX_CONNECTIONS, DEFAULT_PAGE_BYTES);

    public HttpLimits {
        if (idleTimeoutMillis < 1 || headerTimeoutMillis < 1 || maxConnections < 1 || pageBytes < 1) {
            throw new IllegalArgumentException("invalid HTTP limits " + idleTimeoutMillis + "/" + headerTimeoutMillis
                    + "/" + maxConnections + "/" + pageBytes);
        }
    }

    static HttpLimits read(EnvReader r) {
        long idle = r.number(IDLE_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS, 100, 3_600_000,
                "expected an integer number of milliseconds 100-3600000");
        long header = r.number(HEADER_TIMEOUT_MS, DEFAULT_HEADER_TIMEOUT_MS, 100, 3_600_000,
                "expected an integer number of milliseconds 100-3600000");
        int max = (int) r.number(MAX_CONNECTIONS, defaultMaxConnections(openFileLimit()), 1, 1_000_000,
                "expected an integer 1-1000000");
        long page = r.number(PAGE_BYTES, DEFAULT_PAGE_BYTES, 1, 1L << 30, "expected an integer number of bytes 1-1073741824");
        return new HttpLimits(idle, header, max, page);
    }

    /**
     * Below the process's file limit, so accepting a client can never be what runs out of descriptors
     * (Helidon's accept loop ends on EMFILE).
     */
    static int defaultMaxConnections(long openFileLimit) {
        if (openFileLimit <= 0) {
            return DEFAULT_MAX_CONNECTIONS;
        }
        return Math.clamp(openFileLimit - RESERVED_FDS, 16, DEFAULT_MAX_CONNECTIONS);
    }

    /** The process's RLIMIT_NOFILE, or -1 where the JVM cannot tell. */
    static long openFileLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }
}
