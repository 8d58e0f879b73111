package io.leifdb.server.transport;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Warns about refused peer traffic at most once per (peer address, reason) per interval, so a
 * flood of forged messages costs one line, not one per message; the next line says how many
 * were refused silently meanwhile. Thread-safe.
 */
public final class RefusalLog {
    /** Beyond this many (peer, reason) keys the table starts over, so spoofed addresses cannot grow it. */
    private static final int MAX_KEYS = 4096;

    private record Window(long openedAt, LongAdder silenced) {
    }

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final LongAdder refused = new LongAdder();

    public RefusalLog(Logger log, Duration interval, LongSupplier nanoTime) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Counts one refusal of {@code what} from {@code peer} for {@code reason}, and maybe logs it. */
    public void refuse(String peer, String reason, String what) {
        refused.increment();
        if (windows.size() > MAX_KEYS) windows.clear();
        long now = nanoTime.getAsLong();
        String key = peer + " " + reason;
        Window w = windows.get(key);
        if (w != null && now - w.openedAt() < intervalNanos) {
            w.silenced().increment();
            return;
        }
        Window next = new Window(now, new LongAdder());
        boolean won = w == null ? windows.putIfAbsent(key, next) == null : windows.replace(key, w, next);
        if (!won) {
            refuse(peer, reason, what); // another thread opened the window first: count there
            refused.decrement();
            return;
        }
        long silenced = w == null ? 0 : w.silenced().sum();
        log.warn("refused {} from {}: {}{}", what, peer, reason,
                silenced == 0 ? "" : " (" + silenced + " more refused silently since the last line)");
    }

    /** Refusals counted since start, logged or not. */
    public long count() {
        return refused.sum();
    }
}
