package io.leifdb.client;

/**
 * What {@code GET /db} lists: the keys starting with {@code prefix} after the key {@code after} ("" for the
 * first page), at most {@code limit} (1-1000) of them, without values when {@code keysOnly}, folded at the
 * first {@code delimiter} after the prefix ("" for no folding), with the total when {@code count}; a stale
 * query reads the answering member's state instead of a linearizable read.
 */
public record ListQuery(String prefix, String after, int limit, boolean keysOnly, String delimiter, boolean count,
        boolean stale) {
    /** The server's own default page size. */
    public static final int DEFAULT_LIMIT = 100;

    public ListQuery {
        if (prefix == null || after == null || delimiter == null) throw new IllegalArgumentException("null field");
        if (limit < 1 || limit > 1000) throw new IllegalArgumentException("limit " + limit + " is not in 1-1000");
    }

    public static ListQuery prefix(String prefix) {
        return new ListQuery(prefix, "", DEFAULT_LIMIT, false, "", false, false);
    }

    public ListQuery withAfter(String key) {
        return new ListQuery(prefix, key, limit, keysOnly, delimiter, count, stale);
    }

    public ListQuery withLimit(int n) {
        return new ListQuery(prefix, after, n, keysOnly, delimiter, count, stale);
    }

    public ListQuery withKeysOnly() {
        return new ListQuery(prefix, after, limit, true, delimiter, count, stale);
    }

    public ListQuery withDelimiter(String d) {
        return new ListQuery(prefix, after, limit, keysOnly, d, count, stale);
    }

    public ListQuery withCount() {
        return new ListQuery(prefix, after, limit, keysOnly, delimiter, true, stale);
    }

    public ListQuery withStale() {
        return new ListQuery(prefix, after, limit, keysOnly, delimiter, count, true);
    }

    /** The query string, without the leading '?'. */
    String queryString() {
        StringBuilder q = new StringBuilder("prefix=").append(Paths.encode(prefix));
        if (!after.isEmpty()) q.append("&after=").append(Paths.encode(after));
        q.append("&limit=").append(limit);
        if (keysOnly) q.append("&keysOnly=true");
        if (!delimiter.isEmpty()) q.append("&delimiter=").append(Paths.encode(delimiter));
        if (count) q.append("&count=true");
        if (stale) q.append("&consistency=stale");
        return q.toString();
    }
}
