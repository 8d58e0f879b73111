package io.leifdb.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** How keys and names go into a URL. */
public final class Paths {
    private Paths() {
    }

    /** Percent-encodes every byte that is not unreserved, '/' included, so any key survives a path segment. */
    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The path of one key: {@code /db/<encoded key>}. */
    static String key(String key) {
        return "/db/" + encode(key);
    }
}
