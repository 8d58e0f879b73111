package io.leifdb.server.kv;

import java.util.List;

/**
 * One page of a key listing, in UTF-8 byte order. {@code next} is the cursor to pass as
 * {@code afterKey} for the following page, or null when this page is the last.
 */
public record Page(List<KeyValue> items, String next) {
    public Page {
        items = List.copyOf(items);
    }
}
