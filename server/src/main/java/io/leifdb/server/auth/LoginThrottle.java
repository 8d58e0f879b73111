package io.leifdb.server.auth;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down password guessing per client address: after {@link #FREE_FAILURES} failed logins each
 * further failure locks the address out for twice as long as the last (1 s up to {@link #MAX_LOCK_SECONDS}).
 * Remembers at most {@link #MAX_ADDRESSES} addresses (least recently seen go first), so a flood of
 * addresses costs bounded memory.
 */
public final class LoginThrottle {
    static final int FREE_FAILURES = 5;
    static final int MAX_LOCK_SECONDS = 60;
    static final int MAX_ADDRESSES = 10_000;

    private final Clock clock;
    private final Map<String, long[]> failures = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Seconds {@code address} must still wait before trying a password, 0 if it may try now. */
    public synchronized long waitSeconds(String address) {
        long[] f = failures.get(address);
        if (f == null) return 0;
        long left = f[1] - clock.millis();
        return left <= 0 ? 0 : (left + 999) / 1000;
    }

    public synchronized void failed(String address) {
        long[] f = failures.computeIfAbsent(address, a -> new long[2]);
        f[0]++;
        if (f[0] > FREE_FAILURES) {
            long seconds = Math.min(MAX_LOCK_SECONDS, 1L << Math.min(20, f[0] - FREE_FAILURES - 1));
            f[1] = clock.millis() + seconds * 1000;
        }
    }

    public synchronized void succeeded(String address) {
        failures.remove(address);
    }
}
