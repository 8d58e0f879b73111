package io.leifdb.server.kv;

import java.util.List;

/**
 * The keys of one listing page, in UTF-8 byte order, without their values. {@code next} is the
 * cursor to pass as {@code afterKey} for the following page, or null when this page is the last.
 */
public record KeyPage(List<String> keys, String next) {
    public KeyPage {
        keys = List.copyOf(keys);
    }
}
