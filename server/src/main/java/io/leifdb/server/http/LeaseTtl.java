package io.leifdb.server.http;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lease's time to live as clients write it: a number of seconds ({@code 30}) or a number with a unit
 * ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}). Bounds: at least {@link #MIN_MILLIS}, because the
 * leader checks deadlines on its 50 ms tick and a shorter lease would expire before most clients could renew
 * it; at most {@link #MAX_MILLIS} (24 h, the longest token as well), because a lease is a liveness signal
 * its owner renews, every leader change restarts every lease's full TTL (so a longer one could keep an
 * abandoned key for days), and data meant to last belongs in a plain key.
 */
final class LeaseTtl {
    static final long MIN_MILLIS = 1_000;
    static final long MAX_MILLIS = TimeUnit.HOURS.toMillis(24);
    private static final Pattern FORM = Pattern.compile("(\\d{1,12})(ms|s|m|h)?");

    private LeaseTtl() {
    }

    /** The TTL in milliseconds; anything unparseable or out of bounds is a 400 {@code bad_ttl}. */
    static long parse(String raw) {
        Matcher m = FORM.matcher(raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) throw bad("ttl \"" + raw + "\" is not valid");
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        long millis = switch (unit) {
            case "ms" -> n;
            case "s" -> n * 1_000;
            case "m" -> n * 60_000;
            default -> n * 3_600_000;
        };
        return check(millis, raw);
    }

    /** A JSON number of seconds. */
    static long ofSeconds(double seconds) {
        if (!(seconds > 0) || seconds > MAX_MILLIS / 1000.0) throw bad("ttl " + seconds + " is out of bounds");
        return check(Math.round(seconds * 1000), Double.toString(seconds));
    }

    private static long check(long millis, String raw) {
        if (millis < MIN_MILLIS || millis > MAX_MILLIS) throw bad("ttl \"" + raw + "\" is out of bounds");
        return millis;
    }

    private static ApiError bad(String why) {
        return ApiError.badRequest("bad_ttl", why + ": expected seconds (30) or a number with a unit (30s, 5m, 2h),"
                + " from 1s to 24h");
    }
}
