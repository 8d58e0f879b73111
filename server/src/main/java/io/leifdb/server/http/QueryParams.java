package io.leifdb.server.http;

import java.util.List;

/**
 * The query string of one request, checked against the parameters its endpoint accepts. Unknown or
 * repeated parameters are a 400: a typo such as {@code ?consistancy=stale} must not silently change
 * what the client gets.
 */
final class QueryParams {
    private static final String[] NONE = new String[0];
    private final List<String> names;
    private final String[] values;

    private QueryParams(List<String> names, String[] values) {
        this.names = names;
        this.values = values;
    }

    /** Parses {@code rawQuery} (may be null or empty) for an endpoint that accepts {@code allowed}. */
    static QueryParams parse(String rawQuery, List<String> allowed) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return new QueryParams(allowed, allowed.isEmpty() ? NONE : new String[allowed.size()]);
        }
        String[] values = new String[allowed.size()];
        int start = 0;
        int len = rawQuery.length();
        while (start <= len) {
            int amp = rawQuery.indexOf('&', start);
            int end = amp < 0 ? len : amp;
            if (end > start) {
                int eq = rawQuery.indexOf('=', start);
                int nameEnd = eq < 0 || eq > end ? end : eq;
                String name = Keys.decode(rawQuery, start, nameEnd, true, "bad_query", "query parameter name");
                int slot = allowed.indexOf(name);
                if (slot < 0) {
                    throw ApiError.badRequest("unknown_parameter", "unknown query parameter \"" + name + "\"; "
                            + (allowed.isEmpty() ? "this endpoint takes none" : "allowed: " + String.join(", ", allowed)));
                }
                if (values[slot] != null) {
                    throw ApiError.badRequest("duplicate_parameter", "query parameter \"" + name + "\" is given twice");
                }
                values[slot] = nameEnd == end ? ""
                        : Keys.decode(rawQuery, nameEnd + 1, end, true, "bad_query", "query parameter " + name);
            }
            start = end + 1;
        }
        return new QueryParams(allowed, values);
    }

    /** The decoded value, or null when absent. */
    String get(String name) {
        int slot = names.indexOf(name);
        if (slot < 0) {
            throw new IllegalArgumentException(name + " is not a parameter of this endpoint");
        }
        return values[slot];
    }

    String getOrDefault(String name, String dflt) {
        String v = get(name);
        return v == null ? dflt : v;
    }
}
