package io.leifdb.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.leifdb.server.kv.Precondition;
import java.util.Optional;

/** Conditional requests: If-Match and If-None-Match with our ETags, which are quoted revisions. */
final class Preconditions {
    private Preconditions() {
    }

    /**
     * The precondition a write carries. If-Match: "rev" means the key must be at that revision;
     * If-None-Match: * (PUT only) means the key must not exist.
     */
    static Precondition forWrite(Headers headers, boolean isPut) {
        Optional<String> ifMatch = headers.first(HeaderNames.IF_MATCH);
        Optional<String> ifNoneMatch = headers.first(HeaderNames.IF_NONE_MATCH);
        if (ifMatch.isPresent() && ifNoneMatch.isPresent()) {
            throw ApiError.badRequest("bad_precondition", "give If-Match or If-None-Match, not both");
        }
        if (ifMatch.isPresent()) {
            // If-Match: * (the key must exist) has no stored form; KvHandlers turns it into a revision check.
            return ifMatchAny(headers) ? Precondition.NONE : Precondition.ifRevision(revision(ifMatch.get()));
        }
        if (ifNoneMatch.isPresent()) {
            if (isPut && ifNoneMatch.get().strip().equals("*")) {
                return Precondition.IF_ABSENT;
            }
            throw ApiError.badRequest("bad_precondition", isPut
                    ? "If-None-Match on a write must be *, meaning the key must not exist yet"
                    : "If-None-Match is not supported on DELETE; use If-Match: \"<revision>\"");
        }
        return Precondition.NONE;
    }

    /** If-Match: *, which holds when the key exists at any revision (RFC 9110 §13.1.1). */
    static boolean ifMatchAny(Headers headers) {
        return headers.first(HeaderNames.IF_MATCH).map(v -> v.strip().equals("*")).orElse(false);
    }

    /** A strong ETag holding a revision: "17" (the quotes may be left out). */
    static long revision(String etag) {
        String s = etag.strip();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1);
        }
        long rev;
        try {
            rev = Long.parseLong(s);
        } catch (NumberFormatException e) {
            rev = 0;
        }
        if (rev < 1) {
            throw ApiError.badRequest("bad_precondition", "If-Match must be one revision as an ETag, e.g. \"17\"; got "
                    + etag.strip());
        }
        return rev;
    }

    /** If-None-Match on a read: a list of ETags, or *, compared weakly as RFC 9110 asks for GET. */
    static boolean matchesAny(String header, long revision) {
        String want = Long.toString(revision);
        for (String tag : header.split(",")) {
            String t = tag.strip();
            if (t.equals("*")) {
                return true;
            }
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
                t = t.substring(1, t.length() - 1);
            }
            if (t.equals(want)) {
                return true;
            }
        }
        return false;
    }
}
